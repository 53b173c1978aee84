import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';
import { sh, startSandbox } from '../checks/sandbox-fixture.ts';

/**
 * Send a request on a stream to the sandbox and read until the far side closes. A far side that
 * closes before reading the request resets the stream: that counts as closing, with what was read.
 */
function roundTrip(stream: Duplex, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const answer = () => resolve(Buffer.concat(chunks).toString('utf8'));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', answer);
    stream.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' || error.code === 'EPIPE' ? answer() : reject(error),
    );
    stream.end(request);
  });
}

/** Host processes whose command line names `needle` (the socat listeners of one sandbox). */
function processesNaming(needle: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
      } catch {
        return false;
      }
    })
    .map(Number);
}

let sandbox: Sandbox;
let stop: () => Promise<void>;
const portsDir = () => path.join(loadConfig().runDir, 'ports', sandbox.id);

beforeAll(async () => {
  ({ sandbox, stop } = await startSandbox('port-forwarders'));
  await sh(
    sandbox,
    [
      'docker pull -q busybox >/dev/null',
      // cgi-bin/slow answers after 2 s: longer than socat waits after a half-close by default.
      `docker run -d --name web -p 127.0.0.1:8080:80 busybox sh -c 'mkdir -p /www/cgi-bin && echo Welcome > /www/index.html && printf "%s\\n" "#!/bin/sh" "sleep 2" "echo Content-Type: text/plain" "echo" "echo Slow" > /www/cgi-bin/slow && chmod +x /www/cgi-bin/slow && exec httpd -f -p 80 -h /www'`,
    ].join(' && '),
  );
  // `docker run -d` returns before httpd listens; until then a connection is accepted by the
  // engine's port proxy and closed empty.
  await vi.waitFor(
    async () =>
      expect(await sh(sandbox, 'curl -s -m 5 http://127.0.0.1:8080/ || true')).toContain('Welcome'),
    { timeout: 30_000, interval: 100 },
  );
});

afterAll(async () => {
  await stop?.();
});

describe('sandbox.connect (a listener in the sandbox network namespace)', () => {
  it('reaches a port bound to the sandbox loopback, many times at once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () =>
        roundTrip(await sandbox.connect(8080), 'GET / HTTP/1.0\r\n\r\n'),
      ),
    );
    for (const answer of answers) {
      expect(answer).toMatch(/^HTTP\/1\.[01] 200/);
      expect(answer).toContain('Welcome');
    }
    // One listener for the port, on a socket only host root can open (once the children socat
    // forked for each connection have ended).
    await expect.poll(() => processesNaming(`${portsDir()}/8080.sock`)).toHaveLength(1);
    expect(existsSync(path.join(portsDir(), '8080.sock'))).toBe(true);
  });

  it('keeps a half-closed connection open until a slow server has answered', async () => {
    const answer = await roundTrip(
      await sandbox.connect(8080),
      'GET /cgi-bin/slow HTTP/1.0\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.[01] 200/);
    expect(answer).toContain('Slow');
  });

  it('ends at once with nothing read when nothing listens on the port', async () => {
    expect(await roundTrip(await sandbox.connect(8089), 'GET / HTTP/1.0\r\n\r\n')).toBe('');
  });

  it('refuses a port number that is not one', async () => {
    await expect(sandbox.connect(70_000)).rejects.toThrow(/bad port 70000/);
  });

  it('leaves no listener behind when the sandbox is destroyed', async () => {
    const dir = portsDir();
    expect(processesNaming(dir).length).toBeGreaterThan(0);
    await stop();
    expect(processesNaming(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
  });
});
