/** Small statistics every benchmark reports with. */

/**
 * The nearest-rank percentile, `p` from 0 to 1 (NaN for no values).
 *
 * @example
 * percentile([5, 1, 3], 0.5) // 3
 */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** `value` rounded to `digits` decimals (default 2). */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
