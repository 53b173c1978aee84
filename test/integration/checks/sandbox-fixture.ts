import { loadConfig } from '../../../sandbox-server/src/config.ts';
import type { Sandbox, SandboxDriver } from '../../../sandbox-server/src/sandbox/driver.ts';
import { dindDriver } from '../../../sandbox-server/src/verify/run-verify.ts';

/** A real dind sandbox for a test file; `stop()` destroys it. */
export async function startSandbox(
  name: string,
): Promise<{ sandbox: Sandbox; stop: () => Promise<void> }> {
  const driver: SandboxDriver = await dindDriver(loadConfig());
  await driver.preflight();
  const sandbox = await driver.create({
    sessionId: `test-${name}`,
    labels: { 'dev.handson.test': name },
  });
  await sandbox.ready();
  return { sandbox, stop: () => driver.destroy(sandbox.id) };
}

/** Run shell text in the sandbox and fail loudly if it fails (test setup). */
export async function sh(sandbox: Sandbox, script: string): Promise<string> {
  const result = await sandbox.exec(['sh', '-c', script], { timeoutMs: 120_000 });
  if (result.exitCode !== 0) {
    throw new Error(`setup failed (${result.exitCode}): ${script}\n${result.stderr}`);
  }
  return result.stdout;
}
