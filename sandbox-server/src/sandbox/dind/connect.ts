import { Duplex, PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { killRecorded, recordPid } from './kill.ts';

/**
 * A byte stream to 127.0.0.1:<port> inside a container: an Engine API exec of
 * `socat - TCP:127.0.0.1:<port>` with its stdio hijacked. stdout is demultiplexed, so bytes pass
 * unchanged (no TTY translation). Destroying the stream kills socat.
 *
 * @example
 * const sock = await connectPort(container, 80);
 * sock.write('GET / HTTP/1.0\r\n\r\n');
 */
export async function connectPort(container: Docker.Container, port: number): Promise<Duplex> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`bad port ${port}`);
  const recorded = recordPid(['socat', '-', `TCP:127.0.0.1:${port}`]);
  const exec = await container.exec({
    Cmd: recorded.cmd,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const raw = await exec.start({ hijack: true, stdin: true });
  const out = new PassThrough();
  const errors: Buffer[] = [];
  container.modem.demuxStream(
    raw,
    out,
    new PassThrough().on('data', (c: Buffer) => errors.push(c)),
  );

  const kill = () => killRecorded(container, recorded.pidFile, 'tree').catch(() => undefined);

  const duplex = new Duplex({
    read() {
      out.resume();
    },
    write(chunk, _enc, cb) {
      raw.write(chunk, cb);
    },
    final(cb) {
      // Half-close: socat sees EOF on stdin and shuts down its write side to the port.
      raw.end();
      cb();
    },
    destroy(err, cb) {
      void kill();
      raw.destroy();
      cb(err);
    },
  });
  out.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) out.pause();
  });
  let finished = false;
  const finish = () => {
    if (finished || duplex.destroyed) return;
    finished = true;
    const message = Buffer.concat(errors).toString('utf8').trim();
    if (message && /refused|Connection|E[A-Z]+/.test(message)) {
      duplex.destroy(new Error(`nothing answers on port ${port} inside the sandbox: ${message}`));
    } else duplex.push(null);
  };
  raw.on('end', finish);
  raw.on('close', finish);
  raw.on('error', (err: Error) => duplex.destroy(err));
  return duplex;
}
