import { isLang, type Lang, t } from './i18n.ts';
import { ProgressStore } from './progress.ts';

// Fill each lesson card with the learner's progress kept in this browser.
const lang: Lang = isLang(document.documentElement.lang) ? document.documentElement.lang : 'en';
const store = new ProgressStore(localStorage);

for (const card of document.querySelectorAll<HTMLElement>('[data-lesson]')) {
  const lesson = card.dataset.lesson!;
  const steps = JSON.parse(card.dataset.steps ?? '[]') as string[];
  const done = store.get(lesson).done.filter((s) => steps.includes(s)).length;
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
