/**
 * Where a sandbox's boot time goes, read from its inner dockerd's log (every line carries a
 * timestamp): from the container's start to the engine answering on the sandbox's socket.
 */

/** Log lines that end each inner stage, in boot order. */
const INNER_STAGES = [
  { stage: 'entrypoint (cgroups, config) until dockerd starts', line: /msg="Starting up"/ },
  { stage: 'engine init (containerd, storage)', line: /msg="Loading containers: start\."/ },
  { stage: 'networks: docker0 and iptables rules', line: /msg="Loading containers: done\."/ },
  { stage: 'API listening on the sandbox socket', line: /msg="API listen on \/handson\// },
] as const;

export interface StageTime {
  stage: string;
  ms: number;
}

/**
 * Durations of the inner boot stages, starting at the container's start (ms since the epoch).
 * Only the last boot in the log counts (a lesson may have restarted dockerd). A stage whose line
 * is missing is left out.
 *
 * @example
 * innerBootStages(await readDockerdLog(sandbox), Date.parse(info.State.StartedAt))
 * // [{ stage: 'entrypoint …', ms: 180 }, { stage: 'engine init (containerd, storage)', ms: 40 }, …]
 */
export function innerBootStages(log: string, startedAtMs: number): StageTime[] {
  const lines = log.split('\n');
  const lastBoot = lines.findLastIndex((l) => INNER_STAGES[0].line.test(l));
  const boot = lastBoot < 0 ? lines : lines.slice(lastBoot);
  const times: StageTime[] = [];
  let previous = startedAtMs;
  for (const { stage, line } of INNER_STAGES) {
    const found = boot.find((l) => line.test(l));
    const at = found ? Date.parse(/time="([^"]+)"/.exec(found)?.[1] ?? '') : Number.NaN;
    if (Number.isNaN(at)) continue;
    times.push({ stage, ms: at - previous });
    previous = at;
  }
  return times;
}
