import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { runVisible } from '../../doctor/fix-actions.ts';
import { assertDatabaseFree } from '../../store/server-lock.ts';
import type { RegisterCommand } from './index.ts';
import { setup } from './setup.ts';

/** The site is built when it has an Astro config (before the site lands there is none). */
export function siteConfig(projectRoot: string): string | undefined {
  return ['astro.config.mjs', 'astro.config.ts', 'astro.config.js']
    .map((name) => path.join(projectRoot, 'site', name))
    .find((file) => fs.existsSync(file));
}

/**
 * `handson start` (= `npm start`): setup, build the site, then `handson serve` with the URL
 * printed. serve runs as a child process, so its own flags and shutdown stay its own; Ctrl-C
 * is passed on to it.
 *
 * @example
 * npx handson start --port 4321
 */
export const registerStart: RegisterCommand = (program: Command) => {
  program
    .command('start')
    .description(
      'Set up this machine (doctor --fix), build the site, and serve the course on http://127.0.0.1:4321.',
    )
    .option('--port <port>', 'port to serve on')
    .option('--host <host>', 'address to serve on')
    .option('--origin <origins>', 'origins allowed besides its own addresses (see serve)')
    .action(async (opts: { port?: string; host?: string; origin?: string }) => {
      const cfg = loadConfig();
      // A second start would rebuild the site under the running server before serve refuses.
      await assertDatabaseFree(cfg.database);
      await setup({ quiet: true });
      if (siteConfig(cfg.projectRoot)) {
        process.stderr.write('start: building the site…\n');
        await runVisible('npm', ['run', '--silent', 'build'], { ...process.env, FORCE_COLOR: '0' });
      }
      if (!program.commands.some((c) => c.name() === 'serve')) {
        throw new Error(
          'This checkout has no `serve` command yet: the server is not part of it. Setup is done; run `npx handson doctor` to see the state.',
        );
      }
      const host = opts.host ?? cfg.serve.host;
      const port = opts.port ?? String(cfg.serve.port);
      const bin = path.join(cfg.projectRoot, 'sandbox-server', 'bin', 'handson.js');
      const origin = opts.origin !== undefined ? ['--origin', opts.origin] : [];
      const child = spawn(
        process.execPath,
        [bin, 'serve', '--host', host, '--port', port, ...origin],
        { stdio: 'inherit' },
      );
      process.stdout.write(`handson: the course is at http://${host}:${port}\n`);
      // Ctrl-C on a terminal already reaches serve (same process group); a second SIGINT would
      // cut its graceful shutdown short, so only signals sent to start alone are passed on.
      process.on('SIGINT', () => {
        if (!process.stdin.isTTY) child.kill('SIGINT');
      });
      process.on('SIGTERM', () => child.kill('SIGTERM'));
      const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
      process.exitCode = code;
    });
};
