import { describe, expect, it } from 'vitest';
import { applyFixes, fixCommand, planFixes } from '../../../sandbox-server/src/doctor/fix.ts';
import { formatReport } from '../../../sandbox-server/src/doctor/report.ts';
import type { CheckResult } from '../../../sandbox-server/src/doctor/types.ts';

const failing: CheckResult[] = [
  { name: 'images', ok: false, detail: 'missing', fix: 'build-images' },
  { name: 'registry', ok: false, detail: 'down', fix: 'start-registry' },
  {
    name: 'tools',
    ok: false,
    detail: 'missing',
    fix: 'apt-install',
    packages: ['docker-registry'],
  },
  { name: 'reachable from sandboxes', ok: false, detail: 'skipped', fix: 'start-registry' },
  { name: 'disk', ok: true, detail: 'fine' },
];

describe('doctor --fix planning', () => {
  it('orders fixes so each has what it needs: packages, services, then images', () => {
    expect(planFixes(failing)).toEqual([
      { action: 'apt-install', for: ['tools'], packages: ['docker-registry'] },
      { action: 'start-registry', for: ['registry', 'reachable from sandboxes'] },
      { action: 'build-images', for: ['images'] },
    ]);
  });

  it('gives a non-root user the exact commands to type', () => {
    const commands = planFixes(failing).map(fixCommand);
    expect(commands[0]).toBe(
      'sudo apt-get update && sudo apt-get install -y --no-install-recommends docker-registry',
    );
    const text = formatReport(
      { ok: false, checks: failing },
      { fixRequested: true, isRoot: false },
    );
    expect(text).toContain('--fix needs root. Run these commands:');
    expect(text).toContain('sudo npx handson images');
  });

  it('keeps going after a failed fix and records why', async () => {
    const outcomes = await applyFixes(planFixes(failing), {
      'apt-install': async () => {
        throw new Error('apt-get install failed (exit 100)');
      },
      'raise-user-limits': async () => '',
      'mount-disk-pool': async () => '',
      'start-engine': async () => '',
      'start-registry': async () => 'registry on 127.0.0.1:5480',
      'restart-registry': async () => '',
      'start-packages': async () => '',
      'build-images': async () => 'built',
    });
    expect(outcomes).toEqual([
      { action: 'apt-install', ok: false, detail: 'apt-get install failed (exit 100)' },
      { action: 'start-registry', ok: true, detail: 'registry on 127.0.0.1:5480' },
      { action: 'build-images', ok: true, detail: 'built' },
    ]);
  });

  it('marks each check in the printed report', () => {
    const text = formatReport({ ok: false, checks: failing });
    expect(text).toContain('✗ registry: down');
    expect(text).toContain('✓ disk: fine');
    expect(text).toContain('4 of 5 checks fail.');
  });
});
