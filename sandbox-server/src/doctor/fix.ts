import { USER_LIMIT_MINIMUMS } from './checks-host.ts';
import type { CheckResult, FixAction } from './types.ts';

/**
 * `doctor --fix`: from failing checks to the actions that repair them, in the order that works
 * (packages before the engine, the engine and services before building images). As root the
 * actions run; otherwise the doctor prints them as commands.
 */

/** Dependencies first: each action may need what the ones before it bring. */
export const FIX_ORDER: FixAction[] = [
  'apt-install',
  'raise-user-limits',
  'mount-disk-pool',
  'start-engine',
  'start-registry',
  'restart-registry',
  'start-packages',
  'build-images',
];

export interface PlannedFix {
  action: FixAction;
  /** For `apt-install`: the packages. */
  packages?: string[];
  /** The checks it repairs. */
  for: string[];
}

/**
 * The fixes the failing checks ask for, deduplicated and ordered.
 *
 * @example
 * planFixes([{ name: 'registry', ok: false, detail: '…', fix: 'start-registry' }])
 * // [{ action: 'start-registry', for: ['registry'] }]
 */
export function planFixes(results: CheckResult[]): PlannedFix[] {
  const plan = new Map<FixAction, PlannedFix>();
  for (const r of results) {
    if (r.ok || !r.fix) continue;
    const entry = plan.get(r.fix) ?? { action: r.fix, for: [] };
    entry.for.push(r.name);
    if (r.packages) entry.packages = [...new Set([...(entry.packages ?? []), ...r.packages])];
    plan.set(r.fix, entry);
  }
  return FIX_ORDER.filter((a) => plan.has(a)).map((a) => plan.get(a)!);
}

/** The shell commands a root user would type for each fix (for non-root runs and hints). */
export function fixCommand(fix: PlannedFix): string {
  switch (fix.action) {
    case 'apt-install':
      return `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${(fix.packages ?? []).join(' ')}`;
    case 'raise-user-limits':
      return `sudo sysctl -w ${Object.entries(USER_LIMIT_MINIMUMS)
        .map(([name, min]) => `${name}=${min}`)
        .join(' ')}`;
    case 'mount-disk-pool':
    case 'start-engine':
    case 'start-registry':
    case 'restart-registry':
    case 'start-packages':
      return 'sudo npx handson setup';
    case 'build-images':
      return 'sudo npx handson images';
  }
}

/** What carries out each fix; the real ones live in fix-actions.ts, tests pass fakes. */
export type FixActions = Record<FixAction, (fix: PlannedFix) => Promise<string>>;

export interface FixOutcome {
  action: FixAction;
  ok: boolean;
  detail: string;
}

/**
 * Run each planned fix in order; a failure is recorded and the rest still run (a missing image
 * build should not stop the registry from starting).
 */
export async function applyFixes(
  plan: PlannedFix[],
  actions: FixActions,
  onStart: (fix: PlannedFix) => void = () => {},
): Promise<FixOutcome[]> {
  const outcomes: FixOutcome[] = [];
  for (const fix of plan) {
    onStart(fix);
    try {
      outcomes.push({ action: fix.action, ok: true, detail: await actions[fix.action](fix) });
    } catch (error) {
      outcomes.push({ action: fix.action, ok: false, detail: (error as Error).message });
    }
  }
  return outcomes;
}
