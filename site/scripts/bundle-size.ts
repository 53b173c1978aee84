import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * How much JavaScript a built page loads before anything lazy (the editor): the page's module
 * scripts plus every chunk they import statically, gzipped. Dynamic `import()`s are not
 * followed, which is exactly the "JS before the editor" budget.
 *
 * @example
 * npx tsx site/scripts/bundle-size.ts site/dist/en/lessons/first-containers/index.html
 * // 93.1 kB gzipped in 5 files
 */

export interface BundleSize {
  files: string[];
  gzipBytes: number;
}

const STATIC_IMPORT =
  /(?:^|[;\s}])(?:import|export)\s*(?:[\w*{}\s,$]*?\s*from\s*)?["']([^"']+\.js)["']/g;

export function measurePage(distDir: string, htmlFile: string): BundleSize {
  const html = readFileSync(htmlFile, 'utf8');
  const queue = [...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) =>
    path.join(distDir, m[1]!),
  );
  const inline = [...html.matchAll(/<script[^>]*type="module"[^>]*>([\s\S]*?)<\/script>/g)];
  for (const m of inline) {
    for (const imp of m[1]!.matchAll(STATIC_IMPORT)) queue.push(path.join(distDir, imp[1]!));
  }
  const seen = new Set<string>();
  let gzipBytes = 0;
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file);
    gzipBytes += gzipSync(code, { level: 9 }).byteLength;
    for (const imp of code.toString('utf8').matchAll(STATIC_IMPORT)) {
      queue.push(path.resolve(path.dirname(file), imp[1]!));
    }
  }
  return { files: [...seen].map((f) => path.relative(distDir, f)), gzipBytes };
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const distDir = path.resolve('site/dist');
  for (const page of process.argv.slice(2)) {
    const { files, gzipBytes } = measurePage(distDir, path.resolve(page));
    console.log(`${page}: ${(gzipBytes / 1000).toFixed(1)} kB gzipped in ${files.length} files`);
  }
}
