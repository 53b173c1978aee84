#!/usr/bin/env node
// Runs before `npm start` and `npm test` (npm's pre-scripts): on a fresh clone there is no
// node_modules yet, and the `handson` command needs it, so the README's two commands install
// the dependencies themselves. Plain JavaScript with no imports beyond Node's own.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const [major] = process.versions.node.split('.').map(Number);
if (major < 20) {
  process.stderr.write(`handson needs Node.js 20 or newer; this is ${process.version}.\n`);
  process.exit(1);
}
// npm writes this file at the end of every install: its absence means no (complete) install.
if (!existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
  process.stderr.write('handson: installing dependencies (npm ci)…\n');
  const npm = process.env.npm_execpath
    ? [process.execPath, [process.env.npm_execpath, 'ci', '--no-audit', '--no-fund']]
    : ['npm', ['ci', '--no-audit', '--no-fund']];
  const result = spawnSync(npm[0], npm[1], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(
      'handson: `npm ci` failed; fix the error above and run the command again.\n',
    );
    process.exit(result.status ?? 1);
  }
}
