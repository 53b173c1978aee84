import { doneSteps, fetchServerPasses, type ServerPasses } from './done-steps.ts';
import { type Lang, pageLang } from './i18n.ts';
import { ProgressStore } from './progress.ts';
import { progressLabel } from './progress-label.ts';

// Fill each lesson card, and each part's summary, with the learner's progress: at once from this
// browser's memory, then from the server (the learner cookie's passes in SQLite), which also
// knows other browsers.
const lang: Lang = pageLang();
const store = new ProgressStore(localStorage);

/** Shows `done` of `total` in an element's `[data-progress]` text and `<progress>` bar. */
function show(el: HTMLElement, title: string, done: number, total: number): void {
  const label = progressLabel(lang, done, total);
  const text = el.querySelector<HTMLElement>('[data-progress]');
  if (text) text.textContent = label;
  const bar = el.querySelector('progress');
  if (bar) {
    bar.value = done;
    bar.setAttribute('aria-label', `${title}: ${label}`);
  }
  el.classList.toggle('completed', done === total && total > 0);
}

function render(server: ServerPasses): void {
  for (const part of document.querySelectorAll<HTMLElement>('[data-part]')) {
    let partDone = 0;
    let partTotal = 0;
    for (const card of part.querySelectorAll<HTMLElement>('[data-lesson]')) {
      const lesson = card.dataset.lesson!;
      const steps = JSON.parse(card.dataset.steps ?? '[]') as string[];
      const done = doneSteps(steps, store.get(lesson).done, server.get(lesson)).length;
      const title = card.querySelector('.lesson-title')?.textContent ?? lesson;
      show(card, title, done, steps.length);
      partDone += done;
      partTotal += steps.length;
    }
    const summary = part.querySelector<HTMLElement>('[data-part-summary]');
    const title = part.querySelector('.part-title')?.textContent ?? '';
    if (summary) show(summary, title, partDone, partTotal);
  }
}

render(new Map());
void fetchServerPasses().then(render);
