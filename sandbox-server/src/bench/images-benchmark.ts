import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { imagesCacheDir } from '../images/base-rootfs.ts';
import { IMAGES } from '../images/catalog.ts';
import { repositoryDir } from '../images/repository.ts';
import type { BenchContext, Benchmark, Measurement } from './benchmark.ts';

/**
 * `handson images` as a user runs it (the CLI in a fresh process): cold when asked (every
 * image, the debootstrap tree and the package repository wiped first; registry blobs stay,
 * they belong to the running registry) and cached (median of three runs; goal ≤ 5 s), plus the
 * cached run inside this process, which leaves out Node and CLI start-up.
 */
export const imagesBenchmark: Benchmark = {
  name: 'images',
  description: '`handson images`: a cold build (with --cold) and a cached run',
  async run(ctx) {
    const measurements: Measurement[] = [];
    if (ctx.cold) {
      await wipe(ctx);
      const ms = await timeCli(ctx);
      measurements.push({
        metric: 'cold run (CLI)',
        value: Math.round(ms / 1000),
        unit: 's',
        goal: 600,
      });
    }
    const cached: number[] = [];
    for (let i = 0; i < 3; i++) cached.push(await timeCli(ctx));
    const median = [...cached].sort((a, b) => a - b)[1]!;
    measurements.push({
      metric: 'cached run (CLI)',
      value: Math.round(median),
      unit: 'ms',
      goal: 5000,
      note: 'median of 3',
    });
    // The same run without process start-up, to tell the pipeline's time from the CLI's.
    const { buildImages } = await import('../images/index.ts');
    const inProcess = await buildImages({ json: true, signal: ctx.signal });
    measurements.push({
      metric: 'cached run (in process)',
      value: inProcess.ms,
      unit: 'ms',
      goal: 5000,
    });
    return measurements;
  },
};

async function wipe(ctx: BenchContext): Promise<void> {
  const cfg = loadConfig();
  // dockerode is loaded only here: `handson bench --help` and the cached runs do not need it.
  const { default: Docker } = await import('dockerode');
  const docker = new Docker({ socketPath: cfg.engine.socket });
  ctx.log('cold: removing the images, the debootstrap tree and the package repository');
  for (const spec of [...IMAGES].reverse()) {
    const registryTags = spec.registryRefs.map((ref) => `127.0.0.1:${cfg.registry.port}/${ref}`);
    for (const tag of [...spec.localTags, ...registryTags]) {
      // force: untag even when a container still uses the image (the container keeps it).
      await docker
        .getImage(tag)
        .remove({ force: true })
        .catch(() => undefined);
    }
  }
  await rm(imagesCacheDir(cfg), { recursive: true, force: true });
  await rm(repositoryDir(cfg), { recursive: true, force: true });
}

/** Wall time of `handson images --json` in a new process, in ms; rejects if it fails. */
function timeCli(ctx: BenchContext): Promise<number> {
  const started = performance.now();
  const bin = path.join(ctx.projectRoot, 'sandbox-server', 'bin', 'handson.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'images', '--json'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      signal: ctx.signal,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`handson images exited with ${code}: ${stderr.trim()}`)),
    );
  });
}
