import { execFile } from 'node:child_process';

/**
 * Run a host program (mkfs, mount, iptables…) and resolve with its stdout; reject with an
 * error that names the command and carries its stderr, so a failure says what to fix.
 *
 * @example
 * await run('losetup', ['-j', '/var/lib/handson/disks/abc.ext4']);
 */
export function run(cmd: string, args: string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) {
        const detail = (stderr || err.message).trim();
        reject(new Error(`\`${cmd} ${args.join(' ')}\` failed: ${detail}`));
      } else resolve(stdout);
    });
  });
}

/** Like `run`, but resolves false instead of throwing (for probes such as `iptables -C`). */
export async function succeeds(cmd: string, args: string[]): Promise<boolean> {
  try {
    await run(cmd, args);
    return true;
  } catch {
    return false;
  }
}
