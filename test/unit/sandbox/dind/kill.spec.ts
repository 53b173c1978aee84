import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recordPid } from '../../../../sandbox-server/src/sandbox/dind/kill.ts';

describe('recording an exec pid', () => {
  it('wraps the command in sh with its argv intact, recording the pid under /run', () => {
    const { cmd, pidFile } = recordPid(['bash', '-l']);
    expect(pidFile).toMatch(/^\/run\/handson-exec-[0-9a-f]{12}$/);
    expect(cmd.slice(0, 2)).toEqual(['sh', '-c']);
    expect(cmd.slice(3)).toEqual(['handson-exec', 'bash', '-l']);
  });

  it("keeps the program's exit status and removes its pid file itself", () => {
    const { cmd, pidFile } = recordPid(['sh', '-c', 'echo "$1 args"; exit 7', 'x', 'two words']);
    const run = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8' });
    expect(run.stdout).toBe('two words args\n');
    expect(run.status).toBe(7);
    expect(existsSync(pidFile)).toBe(false);
  });

  it('uses a fresh pid file per exec', () => {
    expect(recordPid(['true']).pidFile).not.toBe(recordPid(['true']).pidFile);
  });
});
