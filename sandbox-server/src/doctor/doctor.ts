import { gatewayAddress, type HandsonConfig } from '../config.ts';
import { diskWatermark } from '../sandbox/dind/disk-headroom.ts';
import {
  checkCapabilities,
  checkCgroups,
  checkDisk,
  checkDiskPool,
  checkLoopDevices,
  checkTools,
  checkUserLimits,
} from './checks-host.ts';
import {
  checkEngine,
  checkFromBridge,
  checkImages,
  checkMirrorReadOnly,
  checkPackageRepository,
  checkRegistry,
} from './checks-services.ts';
import { checkTestBrowser, checkTestPostgres } from './checks-tests.ts';
import { applyFixes, type FixActions, type FixOutcome, type PlannedFix, planFixes } from './fix.ts';
import type { CheckResult, DoctorProbes, DoctorReport } from './types.ts';

export interface CheckOptions {
  /** Also what the test suites need (the e2e suite's browser): `npm test` asks, `npm start` not. */
  tests?: boolean;
}

/**
 * Run every check in dependency order. A check whose prerequisite failed is reported as failed
 * ("skipped: …") rather than left out, so the report always lists the same names.
 *
 * @example
 * const results = await runChecks(loadConfig(), realProbes(cfg));
 * results.every((r) => r.ok)
 */
export async function runChecks(
  cfg: HandsonConfig,
  p: DoctorProbes,
  opts: CheckOptions = {},
): Promise<CheckResult[]> {
  const results: CheckResult[] = [checkTools(p)];
  const engine = await checkEngine(p, cfg.engine.socket);
  const registry = await checkRegistry(p);
  const packages = await checkPackageRepository(p);
  results.push(...engine, registry, ...packages);

  const engineUp = engine[0]!.ok;
  const servicesUp = registry.ok && packages[0]!.ok;
  const gw = gatewayAddress(cfg);
  if (engineUp && servicesUp) {
    results.push(
      await checkFromBridge(p, [
        `http://${gw}:${cfg.registry.port}/v2/`,
        `http://${gw}:${cfg.packages.port}/debian/Packages`,
      ]),
    );
    results.push(await checkMirrorReadOnly(p, `${gw}:${cfg.registry.port}`));
  } else {
    const fix = engineUp ? 'start-registry' : 'start-engine';
    const needs = 'the engine, registry and package repository';
    results.push(
      skipped('reachable from sandboxes', needs, fix),
      skipped('registry read-only for sandboxes', needs, fix),
    );
  }
  results.push(
    engineUp && registry.ok
      ? await checkImages(p)
      : skipped(
          'images',
          'the engine and the registry',
          engineUp ? 'start-registry' : 'start-engine',
        ),
  );
  results.push(
    checkCgroups(p),
    checkCapabilities(p),
    checkLoopDevices(p),
    checkUserLimits(p),
    checkDisk(p, cfg.home),
    checkDiskPool(p, diskWatermark()),
  );
  if (opts.tests) results.push(checkTestBrowser(p), checkTestPostgres(p));
  return results;
}

function skipped(name: string, needs: string, fix: CheckResult['fix']): CheckResult {
  return {
    name,
    ok: false,
    detail: `not checked: needs ${needs} up first`,
    hint: 'npx handson doctor --fix',
    fix,
  };
}

export interface DoctorOptions extends CheckOptions {
  fix?: boolean;
  /** Called when a fix starts (progress for a person). */
  onFix?: (fix: PlannedFix) => void;
}

/**
 * The whole doctor: check, and with `fix` (as root) repair and check again, up to three rounds
 * (a fix can reveal the next problem: a started engine lets the image check run).
 * Not root: the report's failing checks carry the commands to type.
 *
 * @example
 * const report = await runDoctor(cfg, realProbes(cfg), realFixActions(cfg), { fix: true });
 * process.exitCode = report.ok ? 0 : 1;
 */
export async function runDoctor(
  cfg: HandsonConfig,
  probes: DoctorProbes,
  actions: FixActions,
  opts: DoctorOptions = {},
): Promise<DoctorReport> {
  let checks = await runChecks(cfg, probes, opts);
  if (!opts.fix || !probes.isRoot()) return { ok: checks.every((c) => c.ok), checks };
  const fixes: FixOutcome[] = [];
  const tried = new Set<string>();
  for (let round = 0; round < 3; round++) {
    // A fix that already failed is not retried: it would fail the same way.
    const plan = planFixes(checks).filter((f) => !tried.has(f.action));
    if (plan.length === 0) break;
    for (const f of plan) tried.add(f.action);
    fixes.push(...(await applyFixes(plan, actions, opts.onFix)));
    checks = await runChecks(cfg, probes, opts);
  }
  return { ok: checks.every((c) => c.ok), checks, fixes };
}
