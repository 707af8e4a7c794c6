// Probabilities are shown as whole percents, but never as a flat 0% or 100% while the market is
// undecided: "<1%" and ">99%" say "very unlikely", not "impossible".

/** 0.6234 → "62%", 0.004 → "<1%", 0.998 → ">99%", exactly 0 or 1 → "0%"/"100%", missing → "–". */
export function formatProbability(probability: number | null | undefined): string {
  if (probability === null || probability === undefined || !Number.isFinite(probability)) return '–';
  if (probability <= 0) return '0%';
  if (probability >= 1) return '100%';
  const percent = probability * 100;
  if (percent < 1) return '<1%';
  if (percent > 99) return '>99%';
  return `${Math.round(percent)}%`;
}

/** Share of each parimutuel pool in the total, in option order (0 when nothing is staked yet). */
export function poolShares(pools: readonly (number | null)[]): number[] {
  const total = pools.reduce<number>((sum, pool) => sum + (pool ?? 0), 0);
  return pools.map((pool) => (total > 0 ? (pool ?? 0) / total : 0));
}

/** Parimutuel odds (the API's payout per point staked) as "2.50×"; "–" while nothing is on the option. */
export function formatOdds(odds: number | null | undefined): string {
  if (odds === null || odds === undefined || !Number.isFinite(odds) || odds <= 0) return '–';
  return `${odds.toFixed(2)}×`;
}

/** Points as a grouped integer: 12500 → "12,500 pts". */
export function formatPoints(points: number): string {
  return `${Math.round(points).toLocaleString('en-US')} pts`;
}

/** Brier score to three decimals (lower is better); "–" when no call has resolved. */
export function formatBrier(score: number | null | undefined): string {
  return score === null || score === undefined || !Number.isFinite(score) ? '–' : score.toFixed(3);
}
