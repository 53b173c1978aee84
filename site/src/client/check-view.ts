import type { CheckOutcome } from './api-client.ts';
import { type Lang, t } from './i18n.ts';

/**
 * Render a check's outcome into `target`: a summary line, then every check's own message
 * (failing ones first, since they say what to do next).
 */
export function renderCheck(target: HTMLElement, lang: Lang, outcome: CheckOutcome): void {
  const summary = document.createElement('p');
  summary.className = outcome.passed ? 'check-summary passed' : 'check-summary failed';
  summary.textContent = t(lang, outcome.passed ? 'check.passed' : 'check.failed');
  const list = document.createElement('ul');
  list.className = 'check-list';
  const ordered = [...outcome.checks].sort((a, b) => Number(a.passed) - Number(b.passed));
  for (const check of ordered) {
    const item = document.createElement('li');
    item.className = check.passed ? 'passed' : 'failed';
    const icon = document.createElement('span');
    icon.className = 'check-icon';
    icon.setAttribute('aria-hidden', 'true');
    icon.textContent = check.passed ? '✓' : '✗';
    item.append(icon, ' ', ...inlineCode(check.message));
    list.append(item);
  }
  target.replaceChildren(summary, list);
}

/** Say in `target` that the check could not run, and what to do. */
export function renderCheckError(target: HTMLElement, lang: Lang, message: string): void {
  const p = document.createElement('p');
  p.className = 'check-summary error';
  p.textContent = t(lang, 'check.error', { message });
  target.replaceChildren(p);
}

/**
 * Text with `code` spans as DOM nodes (built, never parsed as HTML, so a message cannot
 * inject markup).
 *
 * @example
 * item.append(...inlineCode('run `docker ps` first'));
 */
export function inlineCode(text: string): (string | HTMLElement)[] {
  return text.split(/(`[^`]+`)/).map((part) => {
    if (!/^`[^`]+`$/.test(part)) return part;
    const code = document.createElement('code');
    code.textContent = part.slice(1, -1);
    return code;
  });
}
