import type { StepView } from '../lib/lesson-view.ts';
import { type Lang, t } from './i18n.ts';

/**
 * Shows one step of a lesson page at a time: its prose section, its hints, the step list's
 * current and done marks, the "Step n of N" line and the pager buttons.
 */
export class StepNavigator {
  current: string;

  constructor(
    private readonly root: HTMLElement,
    private readonly lang: Lang,
    private readonly steps: readonly StepView[],
    initial: string,
  ) {
    this.current = initial;
  }

  get index(): number {
    return this.steps.findIndex((s) => s.id === this.current);
  }

  get step(): StepView {
    return this.steps[Math.max(0, this.index)]!;
  }

  /** The id of the step `delta` away from the current one, if there is one. */
  neighbour(delta: number): string | undefined {
    return this.steps[this.index + delta]?.id;
  }

  /** Show `id` and mark which steps are done. */
  show(id: string, done: readonly string[], focusTitle = false): void {
    this.current = id;
    const index = this.index;
    for (const section of this.root.querySelectorAll<HTMLElement>('[data-step]')) {
      section.classList.toggle('current', section.dataset.step === id);
    }
    for (const extras of this.root.querySelectorAll<HTMLElement>('[data-extras-for]')) {
      extras.hidden = extras.dataset.extrasFor !== id;
    }
    for (const button of this.root.querySelectorAll<HTMLElement>('[data-goto-step]')) {
      const stepId = button.dataset.gotoStep!;
      if (stepId === id) button.setAttribute('aria-current', 'step');
      else button.removeAttribute('aria-current');
      const isDone = done.includes(stepId);
      button.classList.toggle('done', isDone);
      const mark = button.querySelector<HTMLElement>('[data-step-mark]');
      if (mark) mark.textContent = isDone ? `✓ ${t(this.lang, 'lesson.done')}` : '';
    }
    const title = this.root.querySelector<HTMLElement>('[data-step-title]');
    if (title) {
      title.textContent = this.step.title;
      if (focusTitle) title.focus();
    }
    const count = this.root.querySelector<HTMLElement>('[data-step-count]');
    if (count) {
      count.textContent = t(this.lang, 'lesson.stepOf', { n: index + 1, total: this.steps.length });
    }
    const prev = this.root.querySelector<HTMLButtonElement>('[data-prev]');
    const next = this.root.querySelector<HTMLButtonElement>('[data-next]');
    if (prev) prev.disabled = index <= 0;
    if (next) next.disabled = index >= this.steps.length - 1;
  }

  /** Reveal the current step's next hint; returns false when none are left. */
  revealHint(): boolean {
    const extras = this.root.querySelector<HTMLElement>(
      `[data-extras-for="${CSS.escape(this.current)}"]`,
    );
    const hidden = extras?.querySelector<HTMLElement>('.hint-list li[hidden]');
    if (!extras || !hidden) return false;
    hidden.hidden = false;
    const items = extras.querySelectorAll('.hint-list li');
    const shown = extras.querySelectorAll('.hint-list li:not([hidden])').length;
    const button = extras.querySelector<HTMLButtonElement>('[data-hint-next]');
    if (button) {
      if (shown >= items.length) {
        button.textContent = t(this.lang, 'hint.none');
        button.disabled = true;
      } else {
        button.textContent = t(this.lang, 'hint.show', { n: shown + 1, total: items.length });
      }
    }
    return true;
  }
}
