import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { LANGS, type Lang } from '../../contracts/lesson.ts';
import { startDevSite } from '../../dev/dev-site.ts';
import { reverifyOnSave } from '../../dev/reverify-on-save.ts';
import { contentDir } from '../../lessons/catalog.ts';
import { dindDriver, resolveLessons } from '../../verify/index.ts';
import type { RegisterCommand } from './index.ts';

/**
 * `handson dev [lesson | path/to/lesson-folder] [--port 4322] [--lang ja,en]`: for lesson
 * authors. Serves the site with live reload (the Astro dev server in front of a real handson
 * server) and, on each save of the lesson's lesson.yaml or <lang>.mdx, re-verifies the lesson up
 * to the step the save changed — a prose file on the prose path in its language, lesson.yaml on
 * both paths — and prints the result. Ctrl-C stops both.
 *
 * @example
 * npx handson dev dockerfile
 * npx handson dev ./drafts/my-lesson --port 4400
 */
export const registerDev: RegisterCommand = (program: Command) => {
  program
    .command('dev')
    .description(
      "For lesson authors: serve the site with live reload of a lesson and, on each save of its lesson.yaml or <lang>.mdx, re-verify it up to the edited step (`verify --step`), printing the result. No lesson = the whole course. A draft outside content/ works too (its folder's sibling lessons are served with it).",
    )
    .argument('[lesson]', 'a lesson id, folder name or path to a lesson folder')
    .option('--port <port>', 'port of the dev server (the next free one if taken)', '4322')
    .option('--host <host>', 'address of the dev server', '127.0.0.1')
    .option('--lang <list>', 'languages re-verified when lesson.yaml is saved (default: all)')
    .option('--command-timeout <seconds>', 'how long one command may take', '60')
    .action(
      async (
        ref: string | undefined,
        opts: { port: string; host: string; lang?: string; commandTimeout: string },
      ) => {
        const cfg = loadConfig();
        const lessons = await resolveLessons(cfg, ref ? [ref] : []);
        const lessonsDir = ref ? path.dirname(lessons[0]!.dir) : contentDir(cfg);
        const langs = opts.lang?.split(',').map((l) => l.trim()) as Lang[] | undefined;
        const unknown = langs?.filter((l) => !(LANGS as readonly string[]).includes(l)) ?? [];
        if (unknown.length > 0)
          throw new Error(`--lang expects a list of ${LANGS.join(', ')}, got "${opts.lang}"`);
        const driver = await dindDriver(cfg);
        await driver.preflight();
        const site = await startDevSite(cfg, {
          lessonsDir,
          host: opts.host,
          port: Number(opts.port),
        });
        const stopWatching = reverifyOnSave(
          lessons.map((l) => l.dir),
          driver,
          {
            print: (text) => process.stdout.write(text),
            langs,
            commandTimeoutS: Number(opts.commandTimeout),
          },
        );
        const pages = lessons
          .slice(0, ref ? 1 : 0)
          .flatMap((l) =>
            LANGS.filter((lang) => l.prose[lang] !== undefined).map(
              (lang) => `  ${site.url}/${lang}/lessons/${l.id}/`,
            ),
          );
        process.stdout.write(
          `dev: serving ${site.url}/ with live reload\n${pages.join('\n')}${pages.length ? '\n' : ''}dev: watching ${ref ? lessons[0]!.dir : lessonsDir}; each save re-verifies the edited step (Ctrl-C stops)\n`,
        );
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        stopWatching();
        await site.close();
        process.exit(0);
      },
    );
};
