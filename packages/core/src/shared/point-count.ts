/** A number of points in a sentence, grouped as every amount a member sees: "1 point", "10,000 points". */
export function pointCount(points: number): string {
  return `${points.toLocaleString('en-US')} ${Math.abs(points) === 1 ? 'point' : 'points'}`;
}
