import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { contentDir } from '../../lessons/catalog.ts';
import { scaffoldLesson } from '../../lessons/scaffold.ts';
import type { RegisterCommand } from './index.ts';

/**
 * `handson new lesson <id | path>`: scaffold a lesson folder (lesson.yaml, ja.mdx, en.mdx with
 * one step) that `handson verify --path both` passes at once.
 *
 * @example
 * npx handson new lesson my-lesson          # content/lessons/12-my-lesson
 * npx handson new lesson ./drafts/my-lesson # a draft outside the course
 */
export const registerNew: RegisterCommand = (program: Command) => {
  const create = program.command('new').description('Scaffold something new for the course.');
  create
    .command('lesson')
    .description(
      'Scaffold a lesson folder (lesson.yaml, ja.mdx, en.mdx) with one step that verifies at once: an id makes content/lessons/NN-<id>, a path makes that folder.',
    )
    .argument('<id-or-path>', 'a lesson id (my-lesson) or a folder path (./drafts/my-lesson)')
    .action(async (ref: string) => {
      const dir = await scaffoldLesson(ref, contentDir(loadConfig()));
      const shown = path.relative(process.cwd(), dir) || dir;
      process.stdout.write(
        `Created ${shown}: lesson.yaml, ja.mdx, en.mdx (one step).\nVerify it on both paths: npx handson verify ${shown} --path both\nThe format: content/AUTHORING.md\n`,
      );
    });
};
