import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

const bin = path.resolve(import.meta.dirname, '../../../sandbox-server/bin/handson.js');

export interface ServeProcess {
  child: ChildProcess;
  pid: number;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

/**
 * `handson serve` as an operator runs it: its own process, on the real sandbox engine, with a
 * throwaway database (`dir`), on a free port.
 */
export function spawnServe(
  dir: string,
  env: NodeJS.ProcessEnv = {},
  args: string[] = ['--port', '0', '--host', '127.0.0.1'],
): ServeProcess {
  const child = spawn(process.execPath, [bin, 'serve', ...args], {
    env: {
      ...process.env,
      HANDSON_DATABASE: path.join(dir, 'db.sqlite'),
      HANDSON_WARM_POOL: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, pid: child.pid!, stderr: () => stderr, exited };
}

/** The URL a serve process prints once it listens (rejects if it exits first). */
export function listeningUrl(serve: ServeProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    serve.child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/listening on (http:\/\/\S+)/);
      if (match) resolve(match[1]!);
    });
    serve.exited.then((code) =>
      reject(new Error(`handson serve exited (${code}) before listening:\n${serve.stderr()}`)),
    );
  });
}

/** A temporary directory for one server's database, removed by the returned function. */
export function serveDir(): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'handson-hostile-'));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The server id the sandboxes of the database in `dir` (or the database file) are labelled with. */
export function serverIdOf(dirOrFile: string): string {
  const file = dirOrFile.endsWith('.sqlite') ? dirOrFile : path.join(dirOrFile, 'db.sqlite');
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return (db.prepare("SELECT value FROM meta WHERE key = 'server_id'").get() as { value: string })
      .value;
  } finally {
    db.close();
  }
}

/** Stop a serve process the way Ctrl-C does and wait for it. */
export async function stopServe(serve: ServeProcess): Promise<void> {
  if (serve.child.exitCode === null && serve.child.signalCode === null) {
    serve.child.kill('SIGTERM');
  }
  await serve.exited;
}

/** A process's resident memory in MB (from /proc), e.g. the server's before and after a fuzz. */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(status.match(/^VmRSS:\s+(\d+) kB/m)?.[1] ?? Number.NaN);
  return Math.round(kb / 1024);
}
