import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { stopEngine } from '../../engine/engine.ts';
import { stopPackageRepository } from '../../services/package-repository.ts';
import { stopRegistry } from '../../services/registry.ts';
import type { RegisterCommand } from './index.ts';

/**
 * `handson stop`: stop the sandbox engine, the registry and the package repository that the
 * project started, and say what was stopped. A Docker the user runs is never touched.
 *
 * @example
 * npx handson stop
 * // stopped registry on 127.0.0.1:5480 (pid 812) …
 */
export const registerStop: RegisterCommand = (program: Command) => {
  program
    .command('stop')
    .description(
      'Stop the sandbox engine, the registry and the package repository handson started.',
    )
    .action(async () => {
      const cfg = loadConfig();
      const lines: string[] = [];
      for (const [what, stop] of [
        ['registry', stopRegistry],
        ['package repository', stopPackageRepository],
      ] as const) {
        for (const l of await stop(cfg))
          lines.push(`stopped ${what} on ${l.address}:${l.port} (pid ${l.pid})`);
      }
      // The engine last: stopping it also stops every sandbox container on it.
      const enginePid = await stopEngine(cfg);
      if (enginePid !== undefined)
        lines.push(`stopped sandbox engine on ${cfg.engine.socket} (pid ${enginePid})`);
      process.stdout.write(
        lines.length > 0
          ? `${lines.join('\n')}\n`
          : 'Nothing to stop: no engine, registry or package repository of handson was running.\n',
      );
    });
};
