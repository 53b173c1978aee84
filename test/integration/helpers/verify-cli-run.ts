import { execFile } from 'node:child_process';
import path from 'node:path';
import type { VerifyReport } from '../../../sandbox-server/src/verify/report.ts';

const root = path.resolve(import.meta.dirname, '../../..');

/** The draft lessons the verify specs run (outside content/). */
export const fixtureLessons = path.join(root, 'test/fixtures/lessons');

export interface VerifyRun {
  code: number;
  report: VerifyReport;
  stderr: string;
}

/**
 * `handson verify …` as a lesson author runs it: the real CLI in a child process, its `--json`
 * report parsed. Rejects when it printed no JSON; a failing verify resolves with its exit code.
 *
 * @example
 * const run = await verifyCli([path.join(fixtureLessons, '03-interactive'), '--json']);
 * run.code // 0
 */
export function verifyCli(args: string[], timeoutMs = 280_000): Promise<VerifyRun> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(root, 'sandbox-server/bin/handson.js'), 'verify', ...args],
      { cwd: root, timeout: timeoutMs, maxBuffer: 8 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: number }).code ?? 1) : 0;
        try {
          resolve({ code, report: JSON.parse(stdout) as VerifyReport, stderr });
        } catch {
          reject(new Error(`verify printed no JSON (exit ${code}):\n${stdout}\n${stderr}`));
        }
      },
    );
  });
}
