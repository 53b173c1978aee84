import { describe, expect, it } from 'vitest';
import { demuxStream } from '../../../sandbox-server/src/checks/demux.ts';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('the Engine API stream demultiplexer', () => {
  it('separates stdout from stderr frames', () => {
    const buffer = Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err\n'), frame(1, 'out 2\n')]);
    expect(demuxStream(buffer, false)).toEqual({ stdout: 'out 1\nout 2\n', stderr: 'err\n' });
  });

  it('passes a TTY stream through as stdout', () => {
    expect(demuxStream(Buffer.from('raw\r\n'), true)).toEqual({ stdout: 'raw\r\n', stderr: '' });
  });
});
