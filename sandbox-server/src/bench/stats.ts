/** Small statistics every benchmark reports with. */
import { monitorEventLoopDelay } from 'node:perf_hooks';

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

const LOOP_RESOLUTION_MS = 10;

/**
 * This process's event-loop delay: how late a timer fires, in ms (Node's histogram counts the
 * timer's own interval too; that part is taken off).
 *
 * @example
 * const loop = eventLoopDelay();
 * await work();
 * console.log(loop.p99(), loop.max());
 * loop.reset();
 */
export function eventLoopDelay() {
  const histogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  histogram.enable();
  const late = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
  return {
    p99: () => late(histogram.percentile(99)),
    max: () => late(histogram.max),
    /** How many times the probe has measured (the first delay counts from the first one). */
    samples: () => histogram.count,
    reset: () => histogram.reset(),
  };
}
