/**
 * The resizable split between prose and terminal: drag the separator, or focus it and use
 * the arrow keys (Home/End for the extremes). The width is remembered across pages.
 */

const KEY = 'handson.split';
const MIN = 20;
const MAX = 80;

/** Clamp a percentage to the allowed range, rounded to a whole number. */
export function clampSplit(percent: number): number {
  return Math.round(Math.min(MAX, Math.max(MIN, percent)));
}

/** The new width after a key press on the separator, or undefined for other keys. */
export function splitAfterKey(current: number, key: string): number | undefined {
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowDown':
      return clampSplit(current - 5);
    case 'ArrowRight':
    case 'ArrowUp':
      return clampSplit(current + 5);
    case 'Home':
      return MIN;
    case 'End':
      return MAX;
    default:
      return undefined;
  }
}

/**
 * Wire the separator inside `split`.
 *
 * @example
 * setupSplit(document.querySelector('[data-split]')!, document.querySelector('[data-splitter]')!);
 */
export function setupSplit(split: HTMLElement, handle: HTMLElement): void {
  const apply = (percent: number) => {
    const value = clampSplit(percent);
    split.style.setProperty('--prose-width', `${value}%`);
    handle.setAttribute('aria-valuenow', String(value));
    try {
      localStorage.setItem(KEY, String(value));
    } catch {
      // Not remembered; the split still works.
    }
  };
  const saved = Number(localStorage.getItem(KEY));
  apply(Number.isFinite(saved) && saved > 0 ? saved : Number(handle.getAttribute('aria-valuenow')));

  handle.addEventListener('keydown', (event) => {
    const next = splitAfterKey(Number(handle.getAttribute('aria-valuenow')), event.key);
    if (next === undefined) return;
    event.preventDefault();
    apply(next);
  });
  handle.addEventListener('pointerdown', (event) => {
    handle.setPointerCapture(event.pointerId);
    const move = (e: PointerEvent) => {
      const box = split.getBoundingClientRect();
      apply(((e.clientX - box.left) / box.width) * 100);
    };
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
  });
}
