import type { Command } from 'commander';
import type { RegisterCommand } from './index.ts';

/**
 * `handson images [--json] [--only name…]`: build the sandbox image and every lesson image
 * from Debian packages and push them to the local registry.
 *
 * @example
 * npx handson images --json
 * // {"images":[{"name":"debian","ref":"127.0.0.1:5480/library/debian:bookworm",…}],"packages":{"count":212},"ms":2310}
 */
export const registerImages: RegisterCommand = (program: Command) => {
  program
    .command('images')
    .description(
      'Build the sandbox image and every lesson image from Debian packages, fill the offline package repository, and push the images to the local registry. Cached: only what changed is rebuilt.',
    )
    .option('--json', 'print a JSON summary instead of progress')
    .option('--only <names...>', 'only these images (and the images they are built from)')
    .action(async (opts: { json?: boolean; only?: string[] }) => {
      // Ctrl-C stops the running build cleanly; temporary tags and trees are left for the next run to clear.
      const abort = new AbortController();
      const onSignal = () =>
        abort.abort(new Error('Interrupted; run `handson images` again to finish.'));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        // Loaded on use: every command is registered at start-up, and the CLI should start fast.
        const { buildImages } = await import('../../images/index.ts');
        const summary = await buildImages({
          json: opts.json,
          only: opts.only,
          signal: abort.signal,
        });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(summary)}\n`);
          return;
        }
        const built = summary.images.filter((image) => !image.cached).length;
        const count = summary.images.length;
        process.stdout.write(
          `${count} image${count === 1 ? '' : 's'} ready (${built} built or pushed), ${summary.packages.count} packages in the repository, ${(summary.ms / 1000).toFixed(1)}s.\n`,
        );
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
};
