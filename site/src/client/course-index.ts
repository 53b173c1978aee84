import { doneSteps, fetchServerPasses, type ServerPasses } from './done-steps.ts';
import { type Lang, pageLang, t } from './i18n.ts';
import { ProgressStore } from './progress.ts';

// Fill each lesson card with the learner's progress: at once from this browser's memory, then
// from the server (the learner cookie's passes in SQLite), which also knows other browsers.
const lang: Lang = pageLang();
const store = new ProgressStore(localStorage);

function render(server: ServerPasses): void {
  for (const card of document.querySelectorAll<HTMLElement>('[data-lesson]')) {
    const lesson = card.dataset.lesson!;
    const steps = JSON.parse(card.dataset.steps ?? '[]') as string[];
    const done = doneSteps(steps, store.get(lesson).done, server.get(lesson)).length;
    const label =
      done === 0
        ? t(lang, 'index.notStarted')
        : done === steps.length
          ? t(lang, 'index.completed')
          : t(lang, 'index.progress', { done, total: steps.length });
    const text = card.querySelector<HTMLElement>('[data-progress]');
    if (text) text.textContent = label;
    const bar = card.querySelector('progress');
    if (bar) {
      bar.value = done;
      const title = card.querySelector('.lesson-title')?.textContent ?? lesson;
      bar.setAttribute('aria-label', `${title}: ${label}`);
    }
    card.classList.toggle('completed', done === steps.length && steps.length > 0);
  }
}

render(new Map());
void fetchServerPasses().then(render);
