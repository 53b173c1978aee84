import { execFile, spawn } from 'node:child_process';

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

/**
 * Like `run`, with `input` on stdin and `fd` (an open file descriptor, when given) as the
 * program's fd 3: how `ip -batch -` gets its commands and a namespace path that cannot be
 * swapped underneath, and `iptables-restore` its rules.
 *
 * @example
 * await runWithInput('nsenter', ['--net=/proc/self/fd/3', 'ip', '-batch', '-'], 'link set lo up\n', netnsFd);
 */
export function runWithInput(
  cmd: string,
  args: string[],
  input: string,
  fd?: number,
  timeoutMs = 30_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdio = fd === undefined ? ['pipe', 'pipe', 'pipe'] : ['pipe', 'pipe', 'pipe', fd];
    const child = spawn(cmd, args, { stdio: stdio as ('pipe' | number)[], timeout: timeoutMs });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) return resolve(Buffer.concat(out).toString('utf8'));
      const detail = Buffer.concat(err).toString('utf8').trim() || `exit ${signal ?? code}`;
      reject(new Error(`\`${cmd} ${args.join(' ')}\` failed: ${detail}`));
    });
    child.stdin?.end(input);
  });
}
