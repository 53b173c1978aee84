import { likelyEngineFailure } from '../engine/diagnose.ts';
import type { CheckResult, DoctorProbes, ListenerProbe } from './types.ts';

/**
 * Checks of what the project runs: the sandbox engine, the registry, the package repository,
 * and whether a sandbox can reach them. Each depends on the ones before it (a bridge probe
 * needs an engine); a check that cannot run says why, and fails.
 */

export async function checkEngine(p: DoctorProbes, socket: string): Promise<CheckResult[]> {
  const status = await p.engine();
  if (!status.answering) {
    const tail = p.engineLogTail();
    const cause = tail
      ? `\nlikely cause: ${likelyEngineFailure(tail)}\nlast lines of ${status.logFile}:\n${indent(tail)}`
      : '';
    const state = status.pid ? `runs (pid ${status.pid}) but does not answer` : 'is not running';
    return [
      {
        name: 'engine',
        ok: false,
        detail: `the sandbox engine on ${socket} ${state}${cause}`,
        hint: 'npx handson doctor --fix (starts it)',
        fix: 'start-engine',
      },
      {
        name: 'engine userns',
        ok: false,
        detail: 'cannot tell without a running engine',
        hint: 'Start the engine first.',
        fix: 'start-engine',
      },
    ];
  }
  const engine: CheckResult =
    status.current === false
      ? {
          name: 'engine',
          ok: false,
          detail: `the sandbox engine (pid ${status.pid}) runs with settings from an older handson`,
          hint: 'npx handson doctor --fix (restarts it; its sandboxes end)',
          fix: 'start-engine',
        }
      : {
          name: 'engine',
          ok: true,
          detail: `Docker ${status.version} answers on ${socket}${status.pid ? ` (pid ${status.pid})` : ''}`,
        };
  const userns: CheckResult = status.userns
    ? {
        name: 'engine userns',
        ok: true,
        detail: 'user-namespace remapping is on: sandbox root is nobody on the host',
      }
    : {
        name: 'engine userns',
        ok: false,
        detail:
          'the engine on this socket runs WITHOUT user-namespace remapping: a learner would be root on the host, so sandboxes refuse to start',
        hint: 'npx handson stop && npx handson doctor --fix (restarts it with --userns-remap=default)',
      };
  return [engine, userns];
}

function listenerCheck(
  name: string,
  listeners: ListenerProbe[],
  fix: 'start-registry' | 'start-packages',
): CheckResult {
  const down = listeners.filter((l) => !l.answering);
  const where = (ls: ListenerProbe[]) => ls.map((l) => `${l.address}:${l.port}`).join(' and ');
  if (down.length === 0) return { name, ok: true, detail: `answers on ${where(listeners)}` };
  return {
    name,
    ok: false,
    detail: `does not answer on ${where(down)}`,
    hint: 'npx handson doctor --fix (starts it)',
    fix,
  };
}

export async function checkRegistry(p: DoctorProbes): Promise<CheckResult> {
  return listenerCheck('registry', await p.registry(), 'start-registry');
}

export async function checkPackageRepository(p: DoctorProbes): Promise<CheckResult[]> {
  const up = listenerCheck('package repository', await p.packageRepository(), 'start-packages');
  if (!up.ok) return [up];
  const indexed = await p.packageRepositoryServes('/debian/Packages');
  return [
    up,
    indexed
      ? { name: 'package repository content', ok: true, detail: 'serves debian/Packages' }
      : {
          name: 'package repository content',
          ok: false,
          detail: 'debian/Packages is missing: the apt repository has not been built yet',
          hint: 'npx handson images',
          fix: 'build-images',
        },
  ];
}

/** A throwaway container on the sandbox bridge reaches the registry and repository on the gateway. */
export async function checkFromBridge(p: DoctorProbes, urls: string[]): Promise<CheckResult> {
  const name = 'reachable from sandboxes';
  const probe = await p.fromBridge(urls);
  if (probe.error) {
    return {
      name,
      ok: false,
      detail: probe.error,
      hint: 'npx handson images (builds busybox)',
      fix: 'build-images',
    };
  }
  const failed = probe.results.filter((r) => !r.answered);
  if (failed.length === 0) {
    return {
      name,
      ok: true,
      detail: `a container on the sandbox bridge reached ${urls.join(' and ')}`,
    };
  }
  return {
    name,
    ok: false,
    detail: `a container on the sandbox bridge could not reach ${failed
      .map((r) => `${r.url} (${r.output.trim() || 'no answer'})`)
      .join('; ')}`,
    hint: 'Check that nothing (a firewall rule on INPUT) blocks the bridge from the gateway address.',
  };
}

/** Statuses that mean the registry refused a write (read-only, or behind auth one day). */
const REFUSED = [401, 403, 405];

/**
 * The mirror every sandbox pulls from is read-only from a sandbox's view: a learner who could
 * push `library/nginx:latest` there would hand every learner of the class their image.
 */
export async function checkMirrorReadOnly(p: DoctorProbes, mirror: string): Promise<CheckResult> {
  const name = 'registry read-only for sandboxes';
  const probe = await p.mirrorWrites();
  if (probe.error) {
    return {
      name,
      ok: false,
      detail: probe.error,
      hint: 'npx handson images (builds the sandbox image)',
      fix: 'build-images',
    };
  }
  const taken = [
    ['a push', probe.push],
    ['a delete', probe.delete],
  ].filter(([, status]) => !REFUSED.includes(status as number));
  if (taken.length === 0) {
    return {
      name,
      ok: true,
      detail: `${mirror} refuses pushes and deletes from the sandbox bridge (HTTP ${probe.push}, ${probe.delete})`,
    };
  }
  return {
    name,
    ok: false,
    detail: `${mirror} does not refuse ${taken
      .map(([what, status]) => `${what} (HTTP ${status || 'no answer'})`)
      .join(' or ')} from the sandbox bridge: a learner could change the images the class pulls`,
    hint: 'npx handson doctor --fix (restarts the gateway registry read-only)',
    fix: 'restart-registry',
  };
}

/** Every image lessons declare (and the catalog expects) is in the registry; the sandbox image on the engine. */
export async function checkImages(p: DoctorProbes): Promise<CheckResult> {
  const registry = await p.missingRegistryImages();
  const engine = await p.missingEngineImages();
  const missing = [...registry.missing, ...engine.missing.map((m) => `${m} (on the engine)`)];
  const expected = registry.expected + engine.expected;
  if (missing.length === 0) {
    return { name: 'images', ok: true, detail: `all ${expected} expected images are present` };
  }
  return {
    name: 'images',
    ok: false,
    detail: `${missing.length} of ${expected} images missing: ${missing.join(', ')}`,
    hint: 'npx handson images',
    fix: 'build-images',
  };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
