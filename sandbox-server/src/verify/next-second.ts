import { setTimeout as sleep } from 'node:timers/promises';

const COARSE_CLOCK_MARGIN_MS = 50;

/**
 * Bash stamps history in whole seconds, read from the kernel's coarse clock (a few ms behind):
 * wait until the clock has surely left `since`'s second.
 */
export async function nextSecond(since: number): Promise<void> {
  const wait = (Math.floor(since / 1000) + 1) * 1000 + COARSE_CLOCK_MARGIN_MS - Date.now();
  if (wait > 0) await sleep(wait);
}
