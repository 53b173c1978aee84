/**
 * Split the Engine API's multiplexed stream (logs and exec of containers without a TTY): each
 * frame is an 8-byte header — stream (1 stdout, 2 stderr), three zero bytes, a big-endian
 * length — then the payload. A TTY container's stream is raw and goes to stdout.
 *
 * @example
 * const { stdout, stderr } = demuxStream(buffer, false);
 */
export function demuxStream(buffer: Buffer, tty: boolean): { stdout: string; stderr: string } {
  if (tty) return { stdout: buffer.toString('utf8'), stderr: '' };
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const kind = buffer[offset]!;
    const length = buffer.readUInt32BE(offset + 4);
    const payload = buffer.subarray(offset + 8, offset + 8 + length);
    if (kind === 2) err.push(payload);
    else out.push(payload);
    offset += 8 + length;
  }
  return {
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}
