/**
 * Runs `apply` at once, then at most once per `intervalMs`, always ending on the latest value
 * (dragging a pane sends a resize per frame; each costs an Engine API call).
 *
 * @example
 * const resize = latestThrottle(50, (size) => tty.resize(size.cols, size.rows));
 * resize({ cols: 120, rows: 40 });
 */
export function latestThrottle<T>(intervalMs: number, apply: (value: T) => void) {
  let pending: { value: T } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (!pending) {
      timer = undefined;
      return;
    }
    const { value } = pending;
    pending = undefined;
    apply(value);
    timer = setTimeout(tick, intervalMs);
  };
  return Object.assign(
    (value: T) => {
      pending = { value };
      if (!timer) tick();
    },
    { cancel: () => clearTimeout(timer) },
  );
}
