import { describe, expect, it } from 'vitest';
import { lookupPath } from '../../../sandbox-server/src/checks/dotted-path.ts';

const inspect = {
  Config: { Hostname: 'box', Labels: { 'com.example.team': 'blue' }, Tty: true },
  NetworkSettings: { Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }] } },
};

describe('dotted paths into inspect data', () => {
  it('follows object keys and numeric array indexes', () => {
    expect(lookupPath(inspect, 'NetworkSettings.Ports.80/tcp.0.HostPort')).toEqual({
      found: true,
      value: '8080',
    });
  });

  it('matches keys that contain dots themselves', () => {
    expect(lookupPath(inspect, 'Config.Labels.com.example.team')).toEqual({
      found: true,
      value: 'blue',
    });
  });

  it('names the first missing part', () => {
    expect(lookupPath(inspect, 'Config.Domainname')).toEqual({
      found: false,
      missing: 'Config.Domainname',
    });
    expect(lookupPath(inspect, 'NetworkSettings.Ports.80/tcp.3')).toEqual({
      found: false,
      missing: 'NetworkSettings.Ports.80/tcp.3',
    });
  });

  it('returns non-string values as they are', () => {
    expect(lookupPath(inspect, 'Config.Tty')).toEqual({ found: true, value: true });
  });
});
