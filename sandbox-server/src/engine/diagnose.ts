/**
 * Turns the tail of dockerd's log into the likely cause and what to do, for the moment the
 * sandbox engine does not come up. Pure: unit-tested with real log lines.
 */

interface Cause {
  pattern: RegExp;
  cause: string;
  /** Match info lines too: the telling line is not always an error. */
  anyLine?: boolean;
}

const CAUSES: Cause[] = [
  {
    pattern: /pid file found, ensure docker is not running/i,
    cause:
      'a stale pidfile or another dockerd with the same --pidfile. Run `npx handson stop`, check `ps aux | grep dockerd`, then retry.',
  },
  {
    pattern: /failed to load listeners|can't create unix socket/i,
    cause:
      'it could not create its API socket: the path may be too long (unix sockets allow ~107 bytes) or its directory unwritable. Use a shorter HANDSON_RUN_DIR.',
  },
  {
    pattern: /address already in use/i,
    cause:
      'its socket is held by another process. Run `npx handson stop`; if that finds nothing, remove the socket after checking nothing listens on it.',
  },
  {
    pattern:
      /(bridge|network controller).*(not found|no such)|Error initializing network controller/i,
    cause:
      'the sandbox bridge is missing or misconfigured. `npx handson doctor --fix` recreates it (ip link add handson0 type bridge).',
  },
  {
    pattern: /restricts access to the remapped root/i,
    cause:
      'the remapped root cannot traverse to the data root: give every parent directory of HANDSON_HOME o+x (chmod o+x <dir>).',
  },
  {
    pattern: /subuid|subgid|dockremap|userns/i,
    cause:
      'user-namespace remapping could not be set up: the `dockremap` user or its /etc/subuid and /etc/subgid ranges are missing. Install `uidmap` and check those files.',
  },
  {
    // Checked before the general containerd cause: the log names both.
    pattern: /containerd is still running/i,
    anyLine: true,
    cause:
      "it took a pid recorded in containerd's pidfile (under the exec root) for a running containerd, which is not there: remove that pidfile (`npx handson setup` does when the pid is not containerd's) and retry.",
  },
  {
    pattern: /containerd/i,
    cause:
      'its containerd did not start: see the containerd lines above, and check that `containerd` is installed (apt-get install -y containerd).',
  },
  {
    pattern: /overlay|graphdriver|storage-driver/i,
    cause:
      'the storage driver failed on the data root filesystem. The data root must be on ext4 or xfs (not overlayfs); set HANDSON_HOME to such a place.',
  },
  {
    pattern: /permission denied|operation not permitted/i,
    cause: 'it lacks privileges: the sandbox engine must be started as root.',
  },
  {
    pattern: /cgroup/i,
    cause: 'cgroups are not usable: run `npx handson doctor` to see which controllers are missing.',
  },
];

/**
 * The likely cause in a sentence, or a generic hint when no known pattern matches.
 *
 * @example
 * likelyEngineFailure('failed to start daemon: pid file found, ensure docker is not running')
 * // 'a stale pidfile or another dockerd …'
 */
export function likelyEngineFailure(logTail: string): string {
  const errorLines = logTail
    .split('\n')
    .filter((line) => /level=(error|fatal)|failed|Error/i.test(line))
    .join('\n');
  const text = errorLines || logTail;
  for (const { pattern, cause, anyLine } of CAUSES) {
    if (pattern.test(anyLine ? logTail : text)) return cause;
  }
  return 'unknown: read the log lines above.';
}
