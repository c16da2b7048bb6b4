/** The median of a non-empty list (the upper one of the two middle values for an even count). */
export function median(xs: number[]): number {
  if (xs.length === 0) throw new Error("median of nothing");
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}
