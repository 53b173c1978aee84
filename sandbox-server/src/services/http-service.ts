import fs from 'node:fs';
import path from 'node:path';
import { gatewayAddress, type HandsonConfig } from '../config.ts';
import { ensureBridge } from '../system/bridge.ts';
import {
  isAlive,
  logTail,
  type ManagedProcessSpec,
  runningPid,
  startManaged,
  stopManaged,
  waitFor,
} from '../system/managed-process.ts';
import { portTakenMessage } from './port-owner.ts';

/**
 * An HTTP service the project runs on two addresses: loopback (for the host: the engine pushes
 * there, tests probe there) and the sandbox bridge's gateway (what sandboxes use). One process
 * per address keeps each bound to exactly one interface, never to 0.0.0.0.
 */
export interface Listener {
  /** `loopback` or `gateway`: part of pidfile and log names. */
  id: 'loopback' | 'gateway';
  address: string;
  port: number;
  spec: ManagedProcessSpec;
  /** A URL that answers (any HTTP status below 500) once the process serves. */
  probeUrl: string;
}

export interface ListenerStatus {
  id: Listener['id'];
  address: string;
  port: number;
  /** Our process's pid when it runs. */
  pid: number | undefined;
  /** Whether `probeUrl` answered. */
  answering: boolean;
  logFile: string;
}

/** Both addresses a service listens on, in the order they are started. */
export function listenAddresses(cfg: HandsonConfig): { id: Listener['id']; address: string }[] {
  return [
    { id: 'loopback', address: '127.0.0.1' },
    { id: 'gateway', address: gatewayAddress(cfg) },
  ];
}

/**
 * Where a service's pidfile and log file live. The port is in the name so a second instance
 * on other ports (tests, a second checkout) never mistakes the first for itself.
 */
export function servicePaths(cfg: HandsonConfig, service: string, id: string, port: number) {
  return {
    pidfile: path.join(cfg.runDir, `${service}-${port}-${id}.pid`),
    logFile: path.join(cfg.home, 'logs', `${service}-${port}-${id}.log`),
  };
}

/** Whether `url` answers HTTP at all (a 404 counts: the server is up) within `timeoutMs`. */
export async function answers(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status < 500;
  } catch {
    return false;
  }
}

/**
 * Start every listener that is not running yet and wait until each answers. Throws an error
 * that says what to do when a port is taken by someone else or the process dies at once.
 */
export async function ensureListeners(
  cfg: HandsonConfig,
  service: string,
  listeners: Listener[],
  timeoutMs = 15_000,
): Promise<ListenerStatus[]> {
  if (listeners.some((l) => l.id === 'gateway')) await ensureBridge(cfg);
  for (const l of listeners) {
    if (runningPid(l.spec) === undefined) {
      const taken = portTakenMessage(l.address, l.port);
      if (taken) {
        throw new Error(
          `Cannot start the ${service} on ${l.address}:${l.port}: ${taken}. ` +
            `Stop that process, or move the ${service} with HANDSON_${service === 'registry' ? 'REGISTRY' : 'PACKAGES'}_PORT.`,
        );
      }
    }
    const { pid } = startManaged(l.spec);
    const up = await waitFor(() => answers(l.probeUrl), timeoutMs, {
      giveUpIf: () => !isAlive(pid),
    });
    if (!up) {
      const state = isAlive(pid) ? `is running (pid ${pid}) but does not answer` : 'exited';
      throw new Error(
        `The ${service} on ${l.address}:${l.port} ${state} after ${timeoutMs / 1000}s. ` +
          `Last lines of ${l.spec.logFile}:\n${logTail(l.spec.logFile, 15)}`,
      );
    }
  }
  return statusListeners(listeners);
}

/** Stop every listener of a service; returns the ones that were running. */
export async function stopListeners(listeners: Listener[]): Promise<ListenerStatus[]> {
  const stopped: ListenerStatus[] = [];
  for (const l of listeners) {
    const pid = await stopManaged(l.spec, { graceMs: 5_000 });
    if (pid !== undefined) {
      stopped.push({
        id: l.id,
        address: l.address,
        port: l.port,
        pid,
        answering: false,
        logFile: l.spec.logFile,
      });
    }
  }
  return stopped;
}

/** Whether each listener's process runs and answers. */
export async function statusListeners(listeners: Listener[]): Promise<ListenerStatus[]> {
  return Promise.all(
    listeners.map(async (l) => ({
      id: l.id,
      address: l.address,
      port: l.port,
      pid: runningPid(l.spec),
      answering: await answers(l.probeUrl),
      logFile: l.spec.logFile,
    })),
  );
}

/**
 * Write `text` to `file` only when it differs, so an unchanged config keeps its mtime.
 * Returns whether it wrote (a process reading the file must then be restarted).
 */
export function writeIfChanged(file: string, text: string): boolean {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    if (fs.readFileSync(file, 'utf8') === text) return false;
  } catch {
    // missing: write it
  }
  fs.writeFileSync(file, text);
  return true;
}
