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
/** Whether a program is on PATH (no `which` package: this runs before any install). */
function onPath(program) {
  return (process.env.PATH ?? '')
    .split(':')
    .some((dir) => dir && existsSync(path.join(dir, program)));
}

// node-pty and better-sqlite3 compile from source when no prebuilt binary fits: that needs
// a compiler, make and python. A fresh Debian machine has none of them.
function ensureBuildTools() {
  if (['make', 'g++', 'python3'].every(onPath)) return;
  if (process.getuid?.() !== 0 || !onPath('apt-get')) {
    process.stderr.write(
      'handson: native modules need build tools. Run: sudo apt-get install -y build-essential python3\n',
    );
    return;
  }
  process.stderr.write('handson: installing build tools for native modules (apt-get)…\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  spawnSync(
    'apt-get',
    ['install', '-y', '-q', '--no-install-recommends', 'build-essential', 'python3'],
    {
      stdio: 'inherit',
      env,
    },
  );
}

if (!existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
  ensureBuildTools();
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
