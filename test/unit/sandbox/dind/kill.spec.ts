import { describe, expect, it } from 'vitest';
import { recordPid } from '../../../../sandbox-server/src/sandbox/dind/kill.ts';

describe('recording an exec pid', () => {
  it('wraps the command so it keeps its argv and pid (exec) after writing the pid file', () => {
    const { cmd, pidFile } = recordPid(['bash', '-l']);
    expect(pidFile).toMatch(/^\/run\/handson-exec-[0-9a-f]{12}$/);
    expect(cmd).toEqual([
      'sh',
      '-c',
      `echo $$ > ${pidFile}; exec "$@"`,
      'handson-exec',
      'bash',
      '-l',
    ]);
  });
  it('uses a fresh pid file per exec', () => {
    expect(recordPid(['true']).pidFile).not.toBe(recordPid(['true']).pidFile);
  });
});
