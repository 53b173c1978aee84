/**
 * The last line of defence of `handson serve`: an error nothing else caught is logged with its
 * context and the server keeps serving, because every request, socket and sandbox is owned by
 * an object that cleans up after itself (a stray throw ends one request, not the class).
 *
 * The state is not sound, and the process exits (non-zero, so a supervisor restarts it and the
 * next start re-adopts every sandbox) when the error says the process itself is broken:
 * out of memory, a stack overflow, or an assertion inside Node or a native module. It also
 * exits when errors come in a storm (more than `maxPerMinute`), which means a loop, not a
 * request.
 *
 * @example
 * const detach = installLastResort({ log: (m) => process.stderr.write(`${m}\n`) });
 */
export interface LastResortOptions {
  log: (message: string) => void;
  /** How the process ends when its state is not sound (tests pass a spy). */
  exit?: (code: number) => void;
  maxPerMinute?: number;
  now?: () => number;
  /** Where the errors are emitted (default `process`; tests pass an EventEmitter). */
  target?: NodeJS.EventEmitter;
}

const FATAL =
  /heap out of memory|Maximum call stack size exceeded|ERR_ASSERTION|ERR_INTERNAL_ASSERTION/;

export function installLastResort(opts: LastResortOptions): () => void {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const now = opts.now ?? Date.now;
  const maxPerMinute = opts.maxPerMinute ?? 100;
  let recent: number[] = [];

  const handle = (kind: string) => (reason: unknown) => {
    const error = reason instanceof Error ? reason : new Error(String(reason));
    const code = (error as NodeJS.ErrnoException).code ?? '';
    opts.log(`${kind} (kept serving unless said otherwise): ${error.stack ?? error.message}`);
    const at = now();
    recent = [...recent.filter((t) => at - t < 60_000), at];
    if (FATAL.test(`${error.message} ${code}`) || recent.length > maxPerMinute) {
      opts.log(
        `${kind}: the process state is not sound (${recent.length > maxPerMinute ? `${recent.length} errors in a minute` : error.message}); exiting so it can be restarted — sandboxes are kept and re-adopted`,
      );
      exit(70);
    }
  };
  const onException = handle('uncaught exception');
  const onRejection = handle('unhandled rejection');
  const target = opts.target ?? process;
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return () => {
    target.off('uncaughtException', onException);
    target.off('unhandledRejection', onRejection);
  };
}
