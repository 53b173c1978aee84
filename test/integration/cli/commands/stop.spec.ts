import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { engineStatus, ensureEngine } from '../../../../sandbox-server/src/engine/engine.ts';
import {
  ensurePackageRepository,
  packageRepositoryStatus,
} from '../../../../sandbox-server/src/services/package-repository.ts';
import {
  ensureRegistry,
  registryStatus,
} from '../../../../sandbox-server/src/services/registry.ts';
import { isolatedHandson } from '../../helpers/isolated-config.ts';

const run = promisify(execFile);
const bin = path.resolve('sandbox-server/bin/handson.js');
const iso = isolatedHandson('stop', { subnet: 79 });
afterAll(iso.cleanup);

describe('handson stop', () => {
  it('stops the engine, registry and package repository it started, and says so', async () => {
    const engine = await ensureEngine(iso.cfg);
    await ensureRegistry(iso.cfg);
    await ensurePackageRepository(iso.cfg);

    const { stdout } = await run(process.execPath, [bin, 'stop'], { env: iso.env });
    const gw = '10.79.0.1';
    expect(stdout).toContain(`stopped registry on 127.0.0.1:5479`);
    expect(stdout).toContain(`stopped registry on ${gw}:5479`);
    expect(stdout).toContain(`stopped package repository on 127.0.0.1:5379`);
    expect(stdout).toContain(`stopped package repository on ${gw}:5379`);
    expect(stdout).toContain(
      `stopped sandbox engine on ${iso.cfg.engine.socket} (pid ${engine.pid})`,
    );

    expect(await engineStatus(iso.cfg)).toMatchObject({ pid: undefined, answering: false });
    expect((await registryStatus(iso.cfg)).some((l) => l.answering || l.pid)).toBe(false);
    expect((await packageRepositoryStatus(iso.cfg)).some((l) => l.answering || l.pid)).toBe(false);
  });

  it('says there was nothing to stop when nothing runs', async () => {
    const { stdout } = await run(process.execPath, [bin, 'stop'], { env: iso.env });
    expect(stdout).toContain('Nothing to stop');
  });
});
