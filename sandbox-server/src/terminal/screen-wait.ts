import type { BufferMark, HeadlessScreen } from './headless-screen.ts';

export interface WaitForOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface WaitSource {
  id: string;
  screen: HeadlessScreen;
  /** Where the answer starts (the cursor at the last write), or undefined for the whole screen. */
  mark: () => BufferMark | undefined;
  onExit: (listener: (code: number) => void) => () => void;
}

/**
 * Resolves with the match once `pattern` appears on `source`'s screen after its mark; rejects
 * on timeout (default 10 s), abort, or the shell exiting without a match, with the end of the
 * screen in the message so a failing lesson step shows what the terminal said.
 *
 * @example
 * await waitForScreen(source, /root@/, { timeoutMs: 20_000, signal });
 */
export function waitForScreen(
  source: WaitSource,
  pattern: RegExp,
  opts: WaitForOptions = {},
): Promise<RegExpMatchArray> {
  const { screen } = source;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    // Output parsed before this call (and before the last write's mark) must not count.
    let ready = false;
    const check = (): boolean => {
      if (!ready) return false;
      const match = screen.text(source.mark()).match(pattern);
      if (!match) return false;
      finish();
      resolve(match);
      return true;
    };
    const fail = (why: string) => {
      finish();
      const tail = screen.text().split('\n').slice(-8).join('\n');
      reject(
        new Error(`terminal ${source.id}: ${why} waiting for ${pattern}; screen ends:\n${tail}`),
      );
    };
    const onAbort = () => fail('aborted');
    const timer = setTimeout(() => fail(`no match after ${timeoutMs} ms`), timeoutMs);
    const stopParsed = screen.onParsed(() => void check());
    // A flood's collapsed lines are never parsed: the answer could be among them.
    const parseAll = screen.keepEveryLine();
    const stopExit = source.onExit((code) => {
      void screen.flushed().then(() => check() || fail(`shell exited (${code})`));
    });
    const finish = () => {
      clearTimeout(timer);
      stopParsed();
      parseAll();
      stopExit();
      opts.signal?.removeEventListener('abort', onAbort);
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    void screen.flushed().then(() => {
      ready = true;
      check();
    });
  });
}

export interface QuietOptions {
  /** How long no output must arrive. */
  quietMs: number;
  /** Give up waiting for silence after this long (a clock or a progress bar never stops). */
  maxMs: number;
  signal?: AbortSignal;
}

/**
 * Resolves once `screen` has parsed no new output for `quietMs` (or after `maxMs` at most, or on
 * abort). A program that has just drawn its prompt may still be asking the terminal something
 * (busybox and redis-cli ask where the cursor is); keys typed before that answer would be mixed
 * into it, so a typist waits for the screen to settle as a person would.
 *
 * @example
 * await screenQuiet(screen, { quietMs: 150, maxMs: 2000 });
 */
export function screenQuiet(screen: HeadlessScreen, opts: QuietOptions): Promise<void> {
  return new Promise((resolve) => {
    let quietTimer: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(quietTimer);
      clearTimeout(maxTimer);
      stopParsed();
      opts.signal?.removeEventListener('abort', done);
      resolve();
    };
    const restart = () => {
      clearTimeout(quietTimer);
      quietTimer = setTimeout(done, opts.quietMs);
    };
    const maxTimer = setTimeout(done, opts.maxMs);
    const stopParsed = screen.onParsed(restart);
    if (opts.signal?.aborted) return done();
    opts.signal?.addEventListener('abort', done, { once: true });
    // Output already written but not yet parsed counts as not quiet.
    void screen.flushed().then(restart);
  });
}
