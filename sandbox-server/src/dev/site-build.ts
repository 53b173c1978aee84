import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Build the site (`npm run build`) unless site/dist is newer than every source it is made
 * of, so a run of the e2e suite (or `handson verify --browser`) always tests the current pages
 * without rebuilding each time. The build's output goes to stderr: stdout may be a JSON report.
 */

const root = path.resolve(import.meta.dirname, '..', '..', '..');
export const DIST = path.join(root, 'site', 'dist');

function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let latest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

export async function ensureSiteBuilt(): Promise<void> {
  const marker = path.join(DIST, 'index.html');
  const built = existsSync(marker) ? statSync(marker).mtimeMs : 0;
  const sources = Math.max(
    newest(path.join(root, 'site', 'src')),
    newest(path.join(root, 'content', 'lessons')),
    // The site bundles the contracts (#contracts/…) too.
    newest(path.join(root, 'sandbox-server', 'src', 'contracts')),
    statSync(path.join(root, 'site', 'astro.config.mjs')).mtimeMs,
  );
  if (built > sources) return;
  await buildSite();
}

/**
 * `npm run build`, of the course (default) or of another folder of lessons into another
 * directory (an author's draft: `HANDSON_CONTENT_DIR` tells the site where its lessons are,
 * `HANDSON_ASTRO_CACHE_DIR` keeps its build cache apart from the course's).
 *
 * @example
 * await buildSite({ contentDir: '/tmp/draft/lessons', outDir: '/tmp/draft/dist' });
 */
export async function buildSite(
  opts: { contentDir?: string; outDir?: string; cacheDir?: string } = {},
): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0' };
  if (opts.contentDir) env.HANDSON_CONTENT_DIR = opts.contentDir;
  if (opts.cacheDir) env.HANDSON_ASTRO_CACHE_DIR = opts.cacheDir;
  const outDir = opts.outDir ? ['--', '--outDir', opts.outDir] : [];
  // Asynchronous, so the test runner's worker stays responsive during a long build.
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'build', ...outDir], {
      cwd: root,
      env,
      stdio: ['ignore', process.stderr, process.stderr],
    });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`npm run build failed (exit ${code}); see its output above.`);
}
