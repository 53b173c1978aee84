import fs from 'node:fs';
import path from 'node:path';
import type { HandsonConfig } from '../config.ts';
import { SESSION_HEADER } from '../http/session-affinity.ts';
import {
  isAlive,
  logTail,
  type ManagedProcessSpec,
  runningPid,
  startManaged,
  stopManaged,
  waitFor,
} from '../system/managed-process.ts';
import { writeIfChanged } from './http-service.ts';
import { portTakenMessage } from './port-owner.ts';

/**
 * HAProxy (Debian's `haproxy`) in front of the cluster's replicas, on loopback. A session's
 * requests and its terminal WebSocket go to the replica that holds it: every response about a
 * session carries `X-Handson-Session: <id>` and HAProxy remembers which replica sent it (a stick
 * table keyed by the id in `/api/sessions/<id>/…`). When that replica is down, the next request
 * goes to a live one, whose answer moves the entry there.
 */

export const HAPROXY_BINARY = '/usr/sbin/haproxy';

export interface HaproxyBackend {
  /** A stable name per replica (its port): HAProxy's stick entries refer to it. */
  name: string;
  port: number;
}

export interface HaproxyOptions {
  /** The load balancer's port on 127.0.0.1. */
  port: number;
  backends: HaproxyBackend[];
}

/**
 * The haproxy.cfg text for `opts`: loopback only, health checks on `/healthz` every second (a
 * dead replica is out after two misses, the second 250 ms after the first), WebSockets kept for an hour of silence (a terminal
 * pings every 30 s), the client's address appended to `X-Forwarded-For`.
 *
 * @example
 * haproxyConfig({ port: 8080, backends: [{ name: 'replica-4400', port: 4400 }] })
 */
export function haproxyConfig(opts: HaproxyOptions): string {
  const lb = `127.0.0.1:${opts.port}`;
  return `# Written by handson cluster up; rewritten on every run.
global
  log stderr format raw daemon notice
  # No maxconn: HAProxy derives it from the file descriptor limit it is given.

defaults
  mode http
  log global
  option forwardfor
  # A request whose replica died is sent to another one rather than failed: at its first retry,
  # without the second's wait on the dead one (HAProxy waits up to 1 s before retrying a server).
  option redispatch 1
  retries 2
  timeout connect 3s
  timeout client 60s
  timeout server 60s
  timeout http-request 10s
  timeout http-keep-alive 10s
  timeout queue 10s
  # A health check may take this long to answer: a busy replica is slow, not dead (a dead one
  # refuses the connection at once).
  timeout check 3s
  # After a WebSocket upgrade: a terminal may be quiet for long (pings keep it under this).
  timeout tunnel 1h
  timeout client-fin 10s

frontend handson
  bind ${lb}
  default_backend replicas

backend replicas
  # New sessions spread over the replicas; a known one sticks to the replica that served it last.
  balance roundrobin
  stick-table type string len 64 size 200k expire 24h
  stick match path,field(4,/) if { path_beg /api/sessions/ }
  stick store-response res.hdr(${SESSION_HEADER})
  # A request in flight when its replica died (the connection closed, nothing answered) is sent
  # again to a live one, when sending it twice is harmless: reads, a Check, a terminal ticket.
  retry-on conn-failure empty-response
  http-request disable-l7-retry unless METH_GET || METH_HEAD || { path_reg ^/api/sessions/[^/]+/(check|terminals)$ }
  option httpchk
  http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host ${lb}
  # A replica that stops answering is out after two failed checks 250 ms apart.
  default-server inter 1s fastinter 250ms fall 2 rise 2
${opts.backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check`).join('\n')}
`;
}

/** HAProxy's config file, pidfile and log, in the cluster's directory. */
export function haproxyPaths(cfg: HandsonConfig) {
  return {
    configFile: path.join(cfg.clusterDir, 'haproxy.cfg'),
    pidfile: path.join(cfg.clusterDir, 'run', 'haproxy.pid'),
    logFile: path.join(cfg.clusterDir, 'logs', 'haproxy.log'),
  };
}

function haproxySpec(cfg: HandsonConfig): ManagedProcessSpec {
  const paths = haproxyPaths(cfg);
  return {
    name: 'load balancer (HAProxy)',
    command: HAPROXY_BINARY,
    // -db: stay in the foreground, so the pid we record is HAProxy's own.
    args: ['-db', '-f', paths.configFile],
    signature: paths.configFile,
    pidfile: paths.pidfile,
    logFile: paths.logFile,
  };
}

/** HAProxy's pid when ours runs. */
export function haproxyPid(cfg: HandsonConfig): number | undefined {
  return runningPid(haproxySpec(cfg));
}

/**
 * Run HAProxy with `opts`: write the config, (re)start HAProxy when the config changed or it
 * is not running, and wait until it accepts connections on its port.
 *
 * @example
 * await ensureHaproxy(cfg, { port: 8080, backends });
 */
export async function ensureHaproxy(cfg: HandsonConfig, opts: HaproxyOptions): Promise<number> {
  if (!fs.existsSync(HAPROXY_BINARY)) {
    throw new Error(
      `${HAPROXY_BINARY} is missing. Install it with \`apt-get install -y haproxy\` (handson cluster up does when it runs as root).`,
    );
  }
  const spec = haproxySpec(cfg);
  const changed = writeIfChanged(haproxyPaths(cfg).configFile, haproxyConfig(opts));
  if (changed) await stopManaged(spec, { graceMs: 5_000 });
  if (runningPid(spec) === undefined) {
    const taken = portTakenMessage('127.0.0.1', opts.port);
    if (taken) {
      throw new Error(
        `Cannot start the load balancer on 127.0.0.1:${opts.port}: ${taken}. Stop that process or choose another --port.`,
      );
    }
  }
  const { pid } = startManaged(spec);
  const up = await waitFor(() => portAnswers(opts.port), 10_000, {
    giveUpIf: () => !isAlive(pid),
  });
  if (!up) {
    throw new Error(
      `HAProxy did not come up on 127.0.0.1:${opts.port}. Last lines of ${spec.logFile}:\n${logTail(spec.logFile, 15)}`,
    );
  }
  return pid;
}

/** Whether something accepts HTTP on 127.0.0.1:`port` (any answer counts). */
async function portAnswers(port: number): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) });
  await res.arrayBuffer();
  return true;
}

/** Stop our HAProxy; the pid it stopped, or undefined when none ran. */
export function stopHaproxy(cfg: HandsonConfig): Promise<number | undefined> {
  return stopManaged(haproxySpec(cfg), { graceMs: 5_000 });
}
