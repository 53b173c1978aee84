import { describe, expect, it } from 'vitest';
import { likelyEngineFailure } from '../../../sandbox-server/src/engine/diagnose.ts';

describe('likely cause of an engine that does not start', () => {
  it('recognises a stale pidfile', () => {
    const tail =
      'time="2026-11-23T20:21:15Z" level=info msg="Starting up"\nfailed to start daemon: pid file found, ensure docker is not running or delete /run/handson/dockerd.pid';
    expect(likelyEngineFailure(tail)).toContain('stale pidfile');
  });

  it("recognises a containerd pidfile whose pid is someone else's (a restored /run)", () => {
    const tail = [
      'time="2026-12-03T18:23:39.635800628Z" level=info msg="libcontainerd: containerd is still running" pid=8904',
      'time="2026-12-03T18:23:46.751778719Z" level=warning msg="[core] grpc: addrConn.createTransport failed to connect to {unix:///run/handson/engine-exec/containerd/containerd.sock localhost <nil> 0 <nil>}. Err: connection error: desc = \\"transport: error while dialing: dial unix:///run/handson/engine-exec/containerd/containerd.sock: timeout\\". Reconnecting..." module=grpc',
      'failed to start containerd: timeout waiting for containerd to start',
    ].join('\n');
    expect(likelyEngineFailure(tail)).toContain("containerd's pidfile");
  });

  it('recognises a missing bridge', () => {
    const tail =
      'failed to start daemon: Error initializing network controller: Error creating default "bridge" network: bridge device with non default name handson0 must be created manually';
    expect(likelyEngineFailure(tail)).toContain('bridge');
  });

  it('recognises missing remapping ranges', () => {
    expect(
      likelyEngineFailure('Error during userns setup: Cannot find subuid range for user dockremap'),
    ).toContain('/etc/subuid');
  });

  it('says so when it does not know', () => {
    expect(likelyEngineFailure('level=info msg="hello"')).toContain('unknown');
  });
});
