import { describe, expect, it } from 'vitest';
import { runSteps, type Step } from '../../../sandbox-server/src/images/progress.ts';

const ok = (id: string, cached: boolean, note?: string): Step => ({
  id,
  title: id,
  run: async () => ({ cached, note }),
});

describe('progress without a terminal', () => {
  it('writes one line per finished step, saying whether it was cached', async () => {
    const lines: string[] = [];
    await runSteps(
      [ok('Base', true), { ...ok('Repository', false, '12 packages'), needs: ['Base'] }],
      'lines',
      (l) => lines.push(l),
    );
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^✔ Base: cached \(\d+\.\ds\)$/);
    expect(lines[1]).toMatch(/^✔ Repository: done, 12 packages \(\d+\.\ds\)$/);
  });

  it('does not run what needs a failed step, and names the failed step in the error', async () => {
    const lines: string[] = [];
    const ran: string[] = [];
    const failing: Step = {
      id: 'nginx',
      title: 'Image nginx:latest',
      run: async () => {
        throw new Error('apt-get exited with 100');
      },
    };
    const after: Step = {
      id: 'after',
      title: 'After',
      needs: ['nginx'],
      run: async () => {
        ran.push('after');
        return { cached: true };
      },
    };
    await expect(runSteps([failing, after], 'lines', (l) => lines.push(l))).rejects.toThrow(
      'Image nginx:latest failed: apt-get exited with 100',
    );
    expect(lines).toEqual(['✖ Image nginx:latest']);
    expect(ran).toEqual([]);
  });

  it('writes nothing in quiet mode', async () => {
    const lines: string[] = [];
    await runSteps([ok('Base', true)], 'quiet', (l) => lines.push(l));
    expect(lines).toEqual([]);
  });

  it('does not start when already cancelled', async () => {
    const abort = new AbortController();
    abort.abort(new Error('stop'));
    await expect(runSteps([ok('Base', true)], 'lines', () => {}, abort.signal)).rejects.toThrow(
      'stop',
    );
  });
});
