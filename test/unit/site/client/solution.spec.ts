import { describe, expect, it } from 'vitest';
import { keysToBytes, solutionSteps } from '../../../../site/src/client/solution.ts';

describe('solution typing', () => {
  it('types each line of shell text and presses Enter', () => {
    expect(solutionSteps('docker pull busybox\ndocker images\n')).toEqual([
      { send: 'docker pull busybox\r' },
      { send: 'docker images\r' },
    ]);
  });

  it('keeps blank lines inside the text (heredocs)', () => {
    expect(solutionSteps('cat <<EOF\na\n\nb\nEOF')).toHaveLength(5);
  });

  it('turns interactive actions into typing, keys and waits', () => {
    const steps = solutionSteps([
      { type: 'docker run -it --name box debian bash' },
      { expect: 'root@', timeout: 5 },
      { keys: 'C-p C-q' },
    ]);
    expect(steps[0]).toEqual({ send: 'docker run -it --name box debian bash\r' });
    expect(steps[1]).toEqual({ waitFor: /root@/, timeoutMs: 5000 });
    expect(steps[2]).toEqual({ send: '\x10\x11' });
  });

  it('knows the tmux key names lessons use', () => {
    expect(keysToBytes('C-c')).toBe('\x03');
    expect(keysToBytes('Enter')).toBe('\r');
    expect(keysToBytes('C-[ Escape')).toBe('\x1b\x1b');
    expect(keysToBytes('q')).toBe('q');
  });
});
