import type { DashboardLearner, DashboardSnapshot } from '#contracts/workshop.ts';
import type { Lang } from './i18n.ts';
import { wt } from './workshop-i18n.ts';

/** Lesson and step titles by id, embedded in the page, for column and cell labels. */
export type Titles = Record<string, { title: string; steps: Record<string, string> }>;

/** "12 min", the way the grid shows time on a step. */
export function minutes(ms: number): number {
  return Math.floor(ms / 60_000);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Draw the learners × steps grid; names and messages go in as text, never as HTML. `onPick`
 * opens a learner's panel.
 *
 * @example
 * renderGrid(table, snapshot, titles, 'en', (learner) => openPanel(learner));
 */
export function renderGrid(
  table: HTMLTableElement,
  snapshot: DashboardSnapshot,
  titles: Titles,
  lang: Lang,
  onPick: (learner: DashboardLearner) => void,
): void {
  const stepTitle = (lesson: string, step: string) => titles[lesson]?.steps[step] ?? step;
  const head = table.querySelector('thead tr')!;
  head.replaceChildren(
    el('th', 'learner-col', wt(lang, 'admin.learner')),
    el('th', undefined, wt(lang, 'admin.onStep')),
    ...snapshot.steps.map((s, i) => {
      const th = el('th', 'step-col', String(i + 1));
      th.title = `${titles[s.lesson]?.title ?? s.lesson}: ${stepTitle(s.lesson, s.step)}`;
      th.setAttribute('aria-label', th.title);
      return th;
    }),
  );
  const body = table.querySelector('tbody')!;
  body.replaceChildren(
    ...snapshot.learners.map((learner) => {
      const row = el('tr');
      row.dataset.learner = learner.learner;
      if (learner.stuck) row.classList.add('stuck');
      const nameCell = el('th');
      nameCell.scope = 'row';
      const pick = el('button', 'learner-name', learner.name);
      pick.type = 'button';
      pick.setAttribute('aria-label', wt(lang, 'admin.watch', { name: learner.name }));
      pick.addEventListener('click', () => onPick(learner));
      nameCell.append(pick);
      if (learner.stuck) nameCell.append(el('span', 'badge stuck-badge', wt(lang, 'admin.stuck')));
      const on = el(
        'td',
        'on-step',
        learner.current
          ? `${stepTitle(learner.current.lesson, learner.current.step)} · ${wt(lang, 'admin.minutes', { n: minutes(learner.onStepMs) })}`
          : wt(lang, 'admin.finished'),
      );
      if (learner.lastFailure)
        on.title = wt(lang, 'admin.lastFailure', { message: learner.lastFailure });
      const cells = learner.cells.map((state, i) => {
        const step = snapshot.steps[i]!;
        const td = el('td', `cell cell-${state}`);
        const label = `${stepTitle(step.lesson, step.step)}: ${wt(lang, `admin.cell.${state}`)}`;
        td.title =
          state === 'failing' && learner.lastFailure && learner.current?.step === step.step
            ? `${label} — ${learner.lastFailure}`
            : label;
        td.setAttribute('aria-label', td.title);
        td.dataset.state = state;
        return td;
      });
      row.append(nameCell, on, ...cells);
      return row;
    }),
  );
}
