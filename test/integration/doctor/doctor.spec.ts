import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { runDoctor } from '../../../sandbox-server/src/doctor/doctor.ts';
import { realFixActions } from '../../../sandbox-server/src/doctor/fix-actions.ts';
import { realProbes } from '../../../sandbox-server/src/doctor/probes.ts';
import type { DoctorReport } from '../../../sandbox-server/src/doctor/types.ts';
import { stopPackageRepository } from '../../../sandbox-server/src/services/package-repository.ts';
import {
  ensureRegistry,
  registryListeners,
  registryStatus,
  stopRegistry,
} from '../../../sandbox-server/src/services/registry.ts';
import { startManaged, stopManaged } from '../../../sandbox-server/src/system/managed-process.ts';

const run = promisify(execFile);
const bin = path.resolve('sandbox-server/bin/handson.js');
/**
 * The doctor pointed at a registry and repository on spare ports (same storage, same engine):
 * stopping them does not disturb anyone using the shared ones.
 */
const env = { ...process.env, HANDSON_REGISTRY_PORT: '5495', HANDSON_PACKAGES_PORT: '5496' };
const spare = loadConfig(env);

afterAll(async () => {
  await stopRegistry(spare);
  await stopPackageRepository(spare);
});

async function doctorJson(...args: string[]): Promise<{ code: number; report: DoctorReport }> {
  const result = await run(process.execPath, [bin, 'doctor', '--json', ...args], { env }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
  return { code: result.code, report: JSON.parse(result.stdout) as DoctorReport };
}

const check = (report: DoctorReport, name: string) => report.checks.find((c) => c.name === name);

describe('handson doctor', () => {
  it('reports a stopped registry as a failure and exits non-zero', async () => {
    await stopRegistry(spare);
    const { code, report } = await doctorJson();
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(check(report, 'registry')).toMatchObject({ ok: false, fix: 'start-registry' });
    expect(check(report, 'registry')!.detail).toContain('127.0.0.1:5495');
    expect(check(report, 'engine')).toMatchObject({ ok: true });
  });

  it('--fix starts the stopped registry and the check passes again', async () => {
    await stopRegistry(spare);
    // Real probes and real fixes; only the image build is left out, so this spec does not
    // wait on a full `handson images` (setup has run it before the suite).
    const actions = realFixActions(spare);
    actions['build-images'] = async () => 'left to handson setup';
    const report = await runDoctor(spare, realProbes(spare), actions, { fix: true });
    expect(report.fixes).toContainEqual(
      expect.objectContaining({ action: 'start-registry', ok: true }),
    );
    expect(check(report, 'registry')).toMatchObject({ ok: true });
    const reachable = check(report, 'reachable from sandboxes');
    expect(reachable, reachable?.detail).toMatchObject({ ok: true });
    expect((await registryStatus(spare)).every((l) => l.answering)).toBe(true);
  });

  it('finds a gateway registry that takes pushes, and --fix restarts it read-only', async () => {
    await ensureRegistry(spare);
    // What an older handson ran on the gateway: the same storage, writable, deletes on.
    const gateway = registryListeners(spare).find((l) => l.id === 'gateway')!;
    const file = gateway.spec.args[1]!;
    const config = parse(readFileSync(file, 'utf8'));
    config.storage.delete.enabled = true;
    config.storage.maintenance = { uploadpurging: { enabled: false } };
    await stopManaged(gateway.spec);
    writeFileSync(file, stringify(config));
    startManaged(gateway.spec);
    await expect.poll(async () => (await registryStatus(spare))[1]?.answering).toBe(true);

    const before = await runDoctor(spare, realProbes(spare), realFixActions(spare));
    expect(check(before, 'registry read-only for sandboxes')).toMatchObject({
      ok: false,
      fix: 'restart-registry',
    });
    expect(check(before, 'registry read-only for sandboxes')!.detail).toMatch(
      /a push \(HTTP 400\) or a delete \(HTTP 404\)/,
    );

    const actions = realFixActions(spare);
    actions['build-images'] = async () => 'left to handson setup';
    const after = await runDoctor(spare, realProbes(spare), actions, { fix: true });
    expect(after.fixes).toContainEqual(
      expect.objectContaining({ action: 'restart-registry', ok: true }),
    );
    expect(check(after, 'registry read-only for sandboxes')).toMatchObject({ ok: true });
    expect(check(after, 'registry read-only for sandboxes')!.detail).toContain('HTTP 405, 405');
  });

  it('answers in JSON with every check named, ok or not, and what to do', async () => {
    const { report } = await doctorJson();
    for (const c of report.checks) {
      expect(c.name).toBeTruthy();
      expect(typeof c.ok).toBe('boolean');
      expect(c.detail).toBeTruthy();
      if (!c.ok) expect(c.hint).toBeTruthy();
    }
  });
});
