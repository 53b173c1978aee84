import type { DashboardSnapshot } from '#contracts/workshop.ts';

/** One CSV field: quoted when it holds a comma, quote, newline or leading/trailing space. */
export function csvField(value: string | number): string {
  const text = String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet: neutralise it.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The workshop's results, one row per learner and step: who got how far, for the instructor's
 * records. UTF-8 with a byte-order mark so spreadsheets read Japanese names correctly.
 *
 * @example
 * resultsCsv(snapshot) // '\uFEFFname,lesson,step,status,failed_checks\r\nAki,03-lifecycle,create,done,0\r\n…'
 */
export function resultsCsv(snapshot: DashboardSnapshot): string {
  const lines = [
    ['name', 'lesson', 'step', 'status', 'on_current_step_minutes', 'session'].join(','),
  ];
  for (const learner of [...snapshot.learners].sort((a, b) => a.name.localeCompare(b.name))) {
    snapshot.steps.forEach((step, i) => {
      const isCurrent =
        learner.current?.lesson === step.lesson && learner.current?.step === step.step;
      lines.push(
        [
          csvField(learner.name),
          csvField(step.lesson),
          csvField(step.step),
          csvField(learner.cells[i] ?? 'todo'),
          csvField(isCurrent ? Math.round(learner.onStepMs / 60_000) : ''),
          csvField(learner.sessionState),
        ].join(','),
      );
    });
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
