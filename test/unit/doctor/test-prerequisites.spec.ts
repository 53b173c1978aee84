import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import {
  checkTestBrowser,
  checkTestPostgres,
  TEST_BROWSER,
} from '../../../sandbox-server/src/doctor/checks-tests.ts';
import { runChecks, runDoctor } from '../../../sandbox-server/src/doctor/doctor.ts';
import type { FixActions, PlannedFix } from '../../../sandbox-server/src/doctor/fix.ts';
import { healthyProbes } from './fake-probes.ts';

const cfg = loadConfig({});

describe("the test suites' prerequisites (npm test's setup)", () => {
  it('are checked only when asked for: a server needs no browser', async () => {
    const noBrowser = healthyProbes({ exists: (p) => p !== TEST_BROWSER });
    const serving = await runChecks(cfg, noBrowser);
    expect(serving.map((r) => r.name)).not.toContain('test browser');
    expect(serving.every((r) => r.ok)).toBe(true);
    const testing = await runChecks(cfg, noBrowser, { tests: true });
    expect(testing.find((r) => r.name === 'test browser')).toMatchObject({ ok: false });
    expect(serving.map((r) => r.name)).not.toContain('test postgres');
  });

  it("a missing chromium is fixed by installing Debian's package", async () => {
    let installed = false;
    const asked: PlannedFix[] = [];
    const probes = healthyProbes({ exists: (p) => p !== '/usr/bin/chromium' || installed });
    const refuse = async () => {
      throw new Error('not expected');
    };
    const actions: FixActions = {
      'apt-install': async (fix) => {
        asked.push(fix);
        installed = true;
        return 'installed';
      },
      'raise-user-limits': refuse,
      'mount-disk-pool': refuse,
      'start-engine': refuse,
      'start-registry': refuse,
      'restart-registry': refuse,
      'start-packages': refuse,
      'build-images': refuse,
    };
    const report = await runDoctor(cfg, probes, actions, { fix: true, tests: true });
    expect(asked).toEqual([
      { action: 'apt-install', packages: ['chromium'], for: ['test browser'] },
    ]);
    expect(report.ok).toBe(true);
  });

  it('a browser of your own (HANDSON_CHROMIUM) that is missing is reported, never replaced', () => {
    const result = checkTestBrowser(healthyProbes({ exists: () => false }), '/opt/chrome/chrome');
    expect(result).toMatchObject({ ok: false, detail: expect.stringContaining('/opt/chrome') });
    expect(result.fix).toBeUndefined();
  });

  it("a missing PostgreSQL is fixed by installing Debian's package", async () => {
    const result = checkTestPostgres(healthyProbes({ exists: () => false }), '/usr/lib/pg/bin');
    expect(result).toMatchObject({
      name: 'test postgres',
      ok: false,
      detail: expect.stringContaining('/usr/lib/pg/bin/pg_ctl'),
      fix: 'apt-install',
      packages: ['postgresql'],
    });
    const present = checkTestPostgres(healthyProbes({ exists: () => true }), '/usr/lib/pg/bin');
    expect(present.ok).toBe(true);
  });
});
