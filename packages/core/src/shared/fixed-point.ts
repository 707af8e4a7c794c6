/**
 * Money and shares are integers. Points are whole; shares are stored in millionths ("micro-shares") so a
 * trade can buy fractions of a share without any float being stored.
 */
export const SHARE_UNIT = 1_000_000;

/** Probabilities cross storage as integers in billionths, so trade rows and events hold no floats. */
export const PROBABILITY_UNIT = 1_000_000_000;

/** A float probability as integer billionths (rounded to nearest). */
export function toProbabilityUnits(probability: number): number {
  return Math.round(probability * PROBABILITY_UNIT);
}

/** Integer billionths back to a float probability. */
export function fromProbabilityUnits(units: number): number {
  return units / PROBABILITY_UNIT;
}

/** Whole points a number of micro-shares is worth at 1 point per share, rounded down (the trader's side). */
export function sharesToPointsFloor(microShares: number): number {
  return Math.floor(microShares / SHARE_UNIT);
}

/** Micro-shares as an exact decimal, without trailing zeros: 99999999 → "99.999999", 100000000 → "100". */
export function sharesToDecimalText(microShares: number): string {
  const whole = Math.trunc(microShares / SHARE_UNIT);
  const fraction = Math.abs(microShares % SHARE_UNIT);
  if (fraction === 0) return String(whole);
  const sign = microShares < 0 && whole === 0 ? '-' : '';
  return `${sign}${whole}.${String(fraction).padStart(6, '0').replace(/0+$/, '')}`;
}

/** Points as micro-shares (exact for any points amount below 2^53 / 10^6). */
export function pointsToShares(points: number): number {
  return points * SHARE_UNIT;
}

/** True for a safe, non-negative integer. */
export function isNonNegativeInteger(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

/**
 * Splits `total` in proportion to `weights` (non-negative integers) by the largest-remainder method, so the
 * parts are integers that sum to `total` exactly. BigInt keeps weight × total exact beyond 2^53.
 */
export function largestRemainderSplit(total: number, weights: readonly number[]): number[] {
  const weightSum = weights.reduce((sum, weight) => sum + BigInt(weight), 0n);
  if (weightSum === 0n) return weights.map(() => 0);
  const bigTotal = BigInt(total);
  const parts = weights.map((weight) => (BigInt(weight) * bigTotal) / weightSum);
  const remainders = weights.map((weight, index) => ({
    index,
    remainder: (BigInt(weight) * bigTotal) % weightSum,
  }));
  let left = Number(bigTotal - parts.reduce((sum, part) => sum + part, 0n));
  // Largest remainder first; ties go to the earlier entry so the split is deterministic.
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const { index } of remainders) {
    if (left === 0) break;
    parts[index] = parts[index]! + 1n;
    left -= 1;
  }
  return parts.map((part) => Number(part));
}

/** floor(a × b / c) for non-negative integers, exact beyond 2^53. */
export function mulDivFloor(a: number, b: number, c: number): number {
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}
