interface Job {
  run: () => void;
}

/**
 * A concurrency limit that takes turns between keys: at most `concurrency` tasks run at once,
 * at most `perKey` of them for one key, and the next turn goes to the waiting key with the fewest
 * tasks running (round-robin among equals). One session's
 * 300 terminal starts then wait behind each other, never in front of another session's one.
 *
 * @example
 * const starts = new FairQueue(4, 2);
 * await starts.run(sessionId, () => openShell());
 */
export class FairQueue {
  /** Waiting jobs by key; a key moves to the back each time one of its jobs starts. */
  private readonly waiting = new Map<string, Job[]>();
  private readonly runningByKey = new Map<string, number>();
  private running = 0;

  constructor(
    private readonly concurrency: number,
    private readonly perKey: number,
  ) {}

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        run: () => {
          this.running++;
          this.runningByKey.set(key, (this.runningByKey.get(key) ?? 0) + 1);
          Promise.resolve()
            .then(task)
            .then(resolve, reject)
            .finally(() => {
              this.running--;
              const left = (this.runningByKey.get(key) ?? 1) - 1;
              if (left > 0) this.runningByKey.set(key, left);
              else this.runningByKey.delete(key);
              this.pump();
            });
        },
      };
      const queue = this.waiting.get(key);
      if (queue) queue.push(job);
      else this.waiting.set(key, [job]);
      this.pump();
    });
  }

  /** Tasks running now. */
  get activeCount(): number {
    return this.running;
  }

  /** Tasks waiting for a turn. */
  get pendingCount(): number {
    let n = 0;
    for (const jobs of this.waiting.values()) n += jobs.length;
    return n;
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const next = this.nextKey();
      if (next === undefined) return;
      const jobs = this.waiting.get(next)!;
      const job = jobs.shift()!;
      this.waiting.delete(next);
      if (jobs.length > 0) this.waiting.set(next, jobs);
      job.run();
    }
  }

  /** The waiting key with the fewest tasks running (the longest-waiting of those), if any may start. */
  private nextKey(): string | undefined {
    let best: string | undefined;
    let fewest = this.perKey;
    for (const key of this.waiting.keys()) {
      const running = this.runningByKey.get(key) ?? 0;
      if (running < fewest) {
        best = key;
        fewest = running;
      }
    }
    return best;
  }
}
