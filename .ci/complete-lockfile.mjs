#!/usr/bin/env node
// `npm ci` validates that every optional dependency in the tree has a lock entry. The npm
// mirror these machines reach lacks some foreign-platform builds (biome's and rollup's musl,
// darwin, win32, … binaries), so `npm install` leaves them out of package-lock.json and
// `npm ci` then refuses the lock ("Missing: @rollup/rollup-darwin-arm64@ from lock file").
// This adds an entry for each such package with its os/cpu/libc, which npm ci accepts and skips
// on a platform that does not match. Idempotent: a complete lock is left byte for byte as is.
import fs from 'node:fs';

const file = process.argv[2] ?? 'package-lock.json';
const text = fs.readFileSync(file, 'utf8');
const lock = JSON.parse(text);
const packages = lock.packages;
const PLATFORM =
  /(?:cli|rollup|esbuild)-(android|darwin|linux|win32|freebsd|openbsd|netbsd|sunos|aix|openharmony)-([a-z0-9]+)(?:-(.+))?$/;
const added = [];
for (const [key, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = key === '' ? `node_modules/${name}` : `${key}/node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    const m = PLATFORM.exec(name);
    if (!m) {
      process.stderr.write(
        `complete-lockfile: ${name} is missing and not a platform build; run npm install\n`,
      );
      continue;
    }
    const [, os, cpu, abi] = m;
    const stub = { version, cpu: [cpu], os: [os], optional: true };
    if (entry.dev) stub.dev = true;
    if (abi?.startsWith('musl')) stub.libc = ['musl'];
    else if (os === 'linux' && abi) stub.libc = ['glibc'];
    packages[`node_modules/${name}`] = stub;
    added.push(`${name}@${version}`);
  }
}
if (added.length > 0) {
  // npm keeps the packages map sorted by path, the root ('') first.
  const keys = Object.keys(packages).sort((a, b) =>
    a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en'),
  );
  lock.packages = Object.fromEntries(keys.map((k) => [k, packages[k]]));
  fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
}
console.log(`complete-lockfile: ${added.length} platform entries added`);
