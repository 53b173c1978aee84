import type { HeadlessScreen } from './headless-screen.ts';

/**
 * Saves a terminal's screen for a restarted server: every `everyMs` when it changed, and on
 * demand (release). Saves run one after another, so the next server never reads a
 * half-written or stale screen.
 *
 * @example
 * const saver = new ScreenSaver(screen, (s) => writeToSandbox(s), () => batcher.flush());
 * saver.changed();
 * await saver.save();
 */
export class ScreenSaver {
  private dirty = false;
  private saving: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly screen: HeadlessScreen,
    private readonly persist: (screen: string) => Promise<void>,
    private readonly beforeSave: () => void,
    everyMs = 10_000,
  ) {
    this.timer = setInterval(() => void this.save(), everyMs);
    this.timer.unref();
  }

  changed(): void {
    this.dirty = true;
  }

  save(): Promise<void> {
    this.saving = this.saving.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      this.beforeSave();
      await this.screen.flushed();
      await this.persist(this.screen.serialize()).catch(() => {
        this.dirty = true; // try again next time
      });
    });
    return this.saving;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
