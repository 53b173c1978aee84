/**
 * Measurements that work over any terminal transport (raw Engine API exec, our WebSocket,
 * wetty's socket.io): a pipe that can send keystrokes and report output as it arrives.
 */
export interface TerminalPipe {
  send(data: string): void;
  onData(listener: (chunk: Buffer) => void): () => void;
  close(): Promise<void>;
}

/** Resolves when `needle` has appeared in the output since the call; with the bytes seen. */
export function waitForOutput(
  pipe: TerminalPipe,
  needle: string,
  timeoutMs = 60_000,
): Promise<{ bytes: number }> {
  return new Promise((resolve, reject) => {
    let tail = '';
    let bytes = 0;
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no "${needle}" in the output within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = pipe.onData((chunk) => {
      bytes += chunk.length;
      // Keep a short tail so a needle split across chunks is still found.
      tail = (tail + chunk.toString('latin1')).slice(-(needle.length + 4096));
      if (tail.includes(needle)) {
        clearTimeout(timer);
        stop();
        resolve({ bytes });
      }
    });
  });
}

/** Wait until the shell is idle at a prompt: an echo of a computed marker came back. */
export async function settle(pipe: TerminalPipe): Promise<void> {
  const n = Math.floor(Math.random() * 1e6);
  const done = waitForOutput(pipe, `ready-${n + 1}`, 30_000);
  pipe.send(`echo ready-$((${n}+1))\r`);
  await done;
}

/**
 * Keystroke echo latency: type one character, time until the first output byte comes back.
 * Returns milliseconds per sample, in order.
 *
 * @example
 * const samples = await echoLatency(pipe, 200); percentile(samples, 0.5) (from ../stats.ts)
 */
export async function echoLatency(pipe: TerminalPipe, samples: number): Promise<number[]> {
  await settle(pipe);
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const stop = pipe.onData(() => {
        stop();
        resolve();
      });
      pipe.send('a');
    });
    times.push(performance.now() - started);
    // Let readline finish redrawing before the next key, so each sample is one echo.
    await new Promise((r) => setTimeout(r, 2));
    if (i % 50 === 49) {
      pipe.send('\x15'); // ^U: clear the line
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  pipe.send('\x15');
  return times;
}

/**
 * Output throughput: print `megabytes` MB (base64 of zeros) and time until the end marker.
 */
export async function floodThroughput(
  pipe: TerminalPipe,
  megabytes: number,
): Promise<{ seconds: number; mbPerSecond: number; bytes: number }> {
  await settle(pipe);
  const rawBytes = Math.round((megabytes * 1_000_000 * 3) / 4 / 1.01);
  const done = waitForOutput(pipe, 'FLOOD-2END', 300_000);
  const started = performance.now();
  pipe.send(`head -c ${rawBytes} /dev/zero | base64 -w 100; echo FLOOD-$((1+1))END\r`);
  const { bytes } = await done;
  const seconds = (performance.now() - started) / 1000;
  return { seconds, mbPerSecond: megabytes / seconds, bytes };
}
