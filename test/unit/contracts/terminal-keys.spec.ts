import { describe, expect, it } from 'vitest';
import { keyLabels, keysToBytes } from '#contracts/terminal-keys.ts';

describe('the keys of an interactive <Run keys="…">', () => {
  it('are shown as a keyboard names them', () => {
    expect(keyLabels('C-p C-q')).toEqual(['Ctrl-P', 'Ctrl-Q']);
    expect(keyLabels('Enter  C-c M-x Up')).toEqual(['Enter', 'Ctrl-C', 'Alt-X', '↑']);
  });

  it('show one label per key the terminal receives', () => {
    // Arrow keys are three bytes each, so only one-byte keys here.
    for (const keys of ['C-p C-q', 'Enter C-c', 'Esc Tab Space']) {
      expect(keyLabels(keys)).toHaveLength(keysToBytes(keys).length);
    }
  });
});
