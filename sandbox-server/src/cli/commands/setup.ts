import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { runDoctor } from '../../doctor/doctor.ts';
import { fixCommand, planFixes } from '../../doctor/fix.ts';
import { realFixActions } from '../../doctor/fix-actions.ts';
import { realProbes } from '../../doctor/probes.ts';
import { formatReport } from '../../doctor/report.ts';
import type { RegisterCommand } from './index.ts';

/**
 * Bring the machine to health: `doctor --fix`, then fail loudly (exit 1, the full report) if
 * anything still fails. `npm test` (with `tests`: the e2e suite's browser too) and `handson
 * start` run it first, so a newcomer's first command sets everything up.
 *
 * @example
 * await setup({ quiet: true }); // throws when the machine is still unhealthy
 */
export async function setup(opts: { quiet?: boolean; tests?: boolean } = {}): Promise<void> {
  const cfg = loadConfig();
  const probes = realProbes(cfg);
  const started = Date.now();
  if (!probes.isRoot()) {
    const report = await runDoctor(cfg, probes, realFixActions(cfg), { tests: opts.tests });
    if (report.ok) return;
    const commands = planFixes(report.checks).map(fixCommand);
    throw new Error(
      `handson setup needs root to repair this machine.\n${formatReport(report)}Run as root:\n  ${commands.join('\n  ')}`,
    );
  }
  const report = await runDoctor(cfg, probes, realFixActions(cfg), {
    fix: true,
    tests: opts.tests,
    onFix: (fix) => process.stderr.write(`setup: ${fix.action} (for ${fix.for.join(', ')})…\n`),
  });
  if (!report.ok) {
    throw new Error(
      `handson setup could not make this machine healthy:\n${formatReport(report, { color: process.stderr.isTTY, isRoot: true, fixRequested: true })}`,
    );
  }
  const summary = `handson setup: all ${report.checks.length} checks pass (${((Date.now() - started) / 1000).toFixed(1)}s).\n`;
  process.stderr.write(
    opts.quiet ? summary : formatReport(report, { color: process.stderr.isTTY }) + summary,
  );
}

export const registerSetup: RegisterCommand = (program: Command) => {
  program
    .command('setup')
    .description(
      'Install what is missing, start the sandbox engine, registry and package repository, build missing images; fail if the machine is still not healthy (doctor --fix, loudly).',
    )
    .option('--quiet', 'print one line when everything is healthy')
    .option('--tests', "also what the test suites need (the browser tests' chromium, PostgreSQL)")
    .action(async (opts: { quiet?: boolean; tests?: boolean }) => {
      await setup(opts);
    });
};
