import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HandsonConfig } from '../config.ts';
import { contentDir, lessonCatalog } from '../lessons/catalog.ts';
import { startServer } from '../server/start-server.ts';

/**
 * What `handson dev` serves: the Astro dev server (pages rebuilt and reloaded as their files
 * change) in front of the real handson server (sessions, terminals, checks), which it reaches
 * through the dev server's proxy so the page keeps one origin. The server reads lessons afresh
 * on every use and keeps its sessions in a throwaway database.
 *
 * @example
 * const site = await startDevSite(cfg, { lessonsDir: contentDir(cfg), port: 4322 });
 * console.log(site.url);
 * await site.close();
 */
export interface DevSite {
  /** The dev server's address, e.g. `http://127.0.0.1:4322`. */
  url: string;
  close(): Promise<void>;
}

export interface DevSiteOptions {
  /** The folder whose lesson folders are served (content/lessons, or a draft's parent). */
  lessonsDir: string;
  host?: string;
  port?: number;
  /** Where the dev server's own output goes (it is chatty; default stderr). */
  output?: NodeJS.WritableStream;
  signal?: AbortSignal;
}

/** How long the Astro dev server may take to say where it listens. */
const DEV_SERVER_START_MS = 120_000;

export async function startDevSite(cfg: HandsonConfig, opts: DevSiteOptions): Promise<DevSite> {
  const dir = await mkdtemp(path.join(tmpdir(), 'handson-dev-'));
  const running = await startServer({
    port: 0,
    host: '127.0.0.1',
    driver: 'dind',
    config: { ...cfg, database: path.join(dir, 'handson.sqlite') },
    catalog: lessonCatalog(opts.lessonsDir, { reread: true }),
    warmPool: 0,
    log: () => undefined,
  }).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ASTRO_TELEMETRY_DISABLED: '1',
    FORCE_COLOR: '0',
    // Plain text: the address is read from its output.
    NO_COLOR: '1',
    HANDSON_DEV_API: running.url,
    HANDSON_ASTRO_CACHE_DIR: path.join(dir, 'astro-cache'),
  };
  if (path.resolve(opts.lessonsDir) !== contentDir(cfg)) env.HANDSON_CONTENT_DIR = opts.lessonsDir;
  const astro = path.join(cfg.projectRoot, 'node_modules', '.bin', 'astro');
  const host = opts.host ?? '127.0.0.1';
  const child = spawn(
    astro,
    ['dev', '--root', 'site', '--host', host, '--port', String(opts.port ?? 4322)],
    { cwd: cfg.projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stop = async () => {
    await stopChild(child);
    await running.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const url = await devServerUrl(child, opts.output ?? process.stderr, opts.signal);
    // The page's origin is the dev server's: the API must answer it (Host and WebSocket Origin).
    running.ctx.origins.allow([url]);
    return { url, close: stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The `Local http://…` address the dev server prints once it listens (it may pick another port). */
function devServerUrl(
  child: ChildProcess,
  output: NodeJS.WritableStream,
  signal?: AbortSignal,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () =>
        reject(
          new Error(`the Astro dev server did not start within ${DEV_SERVER_START_MS / 1000} s`),
        ),
      DEV_SERVER_START_MS,
    );
    const onData = (chunk: Buffer) => {
      output.write(chunk);
      // Only the start of its output is searched (bounded): the address comes first.
      if (seen.length < 64 * 1024) seen += chunk.toString('utf8');
      const match = /Local\s+(https?:\/\/[^\s/]+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => output.write(chunk));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`the Astro dev server exited (${code}) before it listened; see its output above`),
      );
    });
    signal?.addEventListener('abort', () => reject(new Error('Interrupted')), { once: true });
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
