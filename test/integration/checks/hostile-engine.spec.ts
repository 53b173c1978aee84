import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '#contracts/lesson.ts';
import { evaluateCheck, runChecks } from '../../../sandbox-server/src/checks/runner.ts';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';
import { sh, startSandbox } from './sandbox-fixture.ts';

/**
 * A learner is root in their sandbox: they can print without end, or put anything on the socket
 * the server reaches their dockerd through. Check still answers, says why it cannot look, and
 * stops what it started.
 */

let sandbox: Sandbox;
let stop: () => Promise<void>;

beforeAll(async () => {
  ({ sandbox, stop } = await startSandbox('hostile-engine'));
});

afterAll(async () => {
  await stop?.();
});

/** Replace the engine's socket on the server's side with socat running `script` per connection. */
async function replaceEngine(script: string): Promise<void> {
  await sh(
    sandbox,
    `cat > /tmp/fake-engine.sh <<'EOF'\n${script}\nEOF\n` +
      'pkill -x socat; rm -f /handson/docker.sock\n' +
      "setsid socat UNIX-LISTEN:/handson/docker.sock,fork,mode=666 SYSTEM:'sh /tmp/fake-engine.sh' >/dev/null 2>&1 &\n" +
      'for i in $(seq 100); do [ -S /handson/docker.sock ] && exit 0; sleep 0.1; done; exit 1',
  );
}

describe('checks against a hostile sandbox', () => {
  it('stop a command that prints without end and say so', async () => {
    const flood: Check = { kind: 'exec', run: 'yes', within: 0.1 };
    const result = await runChecks([flood], sandbox, { lang: 'en' });
    expect(result.checks[0]!.message).toMatch(/printed more than 1 MiB, so it was stopped/);
    const running = async () =>
      (await sandbox.exec(['sh', '-c', 'pgrep -x yes || echo none'])).stdout.trim();
    await expect.poll(running, { timeout: 10_000 }).toBe('none');
  });

  it('answer, in Japanese, when the engine socket floods zeros after a 200', async () => {
    await replaceEngine(
      "printf 'HTTP/1.1 200 OK\\r\\nContent-Type: application/json\\r\\n\\r\\n['\nexec cat /dev/zero",
    );
    const checks: Check[] = [
      { kind: 'container', name: 'web', exists: false, within: 1 },
      { kind: 'container', filters: { ancestor: 'busybox' }, count: 0, within: 1 },
    ];
    const result = await runChecks(checks, sandbox, { lang: 'ja' });
    expect(result.passed).toBe(false);
    for (const outcome of result.checks) {
      expect(outcome.message).toMatch(/使える応答がありませんでした.*8 MiB/);
    }
  });

  it('answer at the check timeout when the engine socket trickles', async () => {
    await replaceEngine(
      "printf 'HTTP/1.1 200 OK\\r\\n\\r\\n['\nwhile :; do printf ' '; sleep 0.2; done",
    );
    const outcome = await evaluateCheck(
      { kind: 'logs', container: 'web', contains: 'hello', timeout: 2 },
      sandbox,
      { retry: false },
    );
    expect(outcome.passed).toBe(false);
    expect(outcome.message.en).toMatch(/did not finish within 2 s/);
  });
});
