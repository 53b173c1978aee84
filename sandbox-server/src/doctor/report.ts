import { fixCommand, planFixes } from './fix.ts';
import type { DoctorReport } from './types.ts';

/**
 * The doctor's report as a person reads it: one line per check, the detail, and for each
 * failure what to type. Without root, `--fix` lists the exact commands instead of running them.
 *
 * @example
 * process.stdout.write(formatReport(report, { color: process.stdout.isTTY, isRoot: true }));
 */
export function formatReport(
  report: DoctorReport,
  opts: { color?: boolean; isRoot?: boolean; fixRequested?: boolean } = {},
): string {
  const paint = (code: number, text: string) => (opts.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const lines: string[] = [];
  for (const f of report.fixes ?? []) {
    lines.push(
      `${f.ok ? paint(32, 'fixed') : paint(31, 'could not fix')} ${f.action}: ${f.detail}`,
    );
  }
  if (lines.length > 0) lines.push('');
  for (const c of report.checks) {
    const mark = c.ok ? paint(32, '✓') : paint(31, '✗');
    const [first, ...rest] = c.detail.split('\n');
    lines.push(`${mark} ${c.name}: ${first}`);
    for (const more of rest) lines.push(`  ${more}`);
    if (!c.ok && c.hint) lines.push(`    → ${c.hint}`);
  }
  lines.push('');
  const failed = report.checks.filter((c) => !c.ok).length;
  if (failed === 0) {
    lines.push(paint(32, 'All checks pass: handson is ready.'));
  } else {
    lines.push(paint(31, `${failed} of ${report.checks.length} checks fail.`));
    const plan = planFixes(report.checks);
    if (opts.fixRequested && !opts.isRoot && plan.length > 0) {
      lines.push('--fix needs root. Run these commands:');
      for (const fix of plan) lines.push(`  ${fixCommand(fix)}`);
    } else if (!opts.fixRequested && plan.length > 0) {
      lines.push('Run `npx handson doctor --fix` (as root) to repair what can be repaired.');
    }
  }
  return `${lines.join('\n')}\n`;
}
