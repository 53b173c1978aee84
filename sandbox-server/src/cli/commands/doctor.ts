import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { runDoctor } from '../../doctor/doctor.ts';
import { fixCommand, planFixes } from '../../doctor/fix.ts';
import { realFixActions } from '../../doctor/fix-actions.ts';
import { realProbes } from '../../doctor/probes.ts';
import { formatReport } from '../../doctor/report.ts';
import type { RegisterCommand } from './index.ts';

/**
 * `handson doctor [--fix] [--json]`: is this machine ready to run sandboxes? Exit 0 only when
 * every check holds.
 *
 * @example
 * npx handson doctor --json
 * // {"ok":true,"checks":[{"name":"engine","ok":true,"detail":"Docker 20.10.24 answers on …"},…]}
 */
export const registerDoctor: RegisterCommand = (program: Command) => {
  program
    .command('doctor')
    .description(
      'Check the sandbox engine (and that it remaps user namespaces), the registry, the package repository, the images, cgroups, loop devices, kernel limits and disk.',
    )
    .option('--fix', 'as root: install missing packages, start services, build missing images')
    .option('--json', 'print the report as JSON')
    .option('--tests', "also what the test suites need (the browser tests' chromium, PostgreSQL)")
    .action(async (opts: { fix?: boolean; json?: boolean; tests?: boolean }) => {
      const cfg = loadConfig();
      const probes = realProbes(cfg);
      const report = await runDoctor(cfg, probes, realFixActions(cfg), {
        fix: opts.fix,
        tests: opts.tests,
        onFix: (fix) =>
          process.stderr.write(`doctor: fixing ${fix.action} (for ${fix.for.join(', ')})…\n`),
      });
      if (opts.json) {
        // Without root, --fix cannot act: the JSON carries the commands a root user would type.
        const commands =
          opts.fix && !probes.isRoot() ? planFixes(report.checks).map(fixCommand) : [];
        const body = commands.length > 0 ? { ...report, commands } : report;
        process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
      } else {
        process.stdout.write(
          formatReport(report, {
            color: process.stdout.isTTY,
            isRoot: probes.isRoot(),
            fixRequested: opts.fix,
          }),
        );
      }
      process.exitCode = report.ok ? 0 : 1;
    });
};
