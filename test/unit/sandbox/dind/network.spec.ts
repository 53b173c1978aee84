import { describe, expect, it } from 'vitest';
import {
  bridgeName,
  sandboxNetworkOf,
  subnetAt,
  vethName,
} from '../../../../sandbox-server/src/sandbox/dind/network.ts';

describe('sandbox networks', () => {
  it('carves consecutive /28 subnets out of the pool', () => {
    expect(subnetAt('10.78.0.0/16', 0)).toEqual({ subnet: '10.78.0.0/28', gateway: '10.78.0.1' });
    expect(subnetAt('10.78.0.0/16', 17)).toEqual({
      subnet: '10.78.1.16/28',
      gateway: '10.78.1.17',
    });
    expect(subnetAt('10.78.0.0/16', 4095)).toEqual({
      subnet: '10.78.255.240/28',
      gateway: '10.78.255.241',
    });
  });

  it('says so when the pool is full', () => {
    expect(() => subnetAt('10.78.0.0/16', 4096)).toThrow(/pool 10.78.0.0\/16 is full/);
  });

  it('names bridges within the 15-character interface limit, matched by the firewall', () => {
    expect(bridgeName('0123456789')).toBe('hs-0123456789');
    expect(bridgeName('0123456789abcdef').length).toBe(15);
  });

  it('gives the sandbox the address after the gateway, within its /28', () => {
    expect(sandboxNetworkOf('10.78.1.16/28', '10.78.1.17')).toEqual({
      subnet: '10.78.1.16/28',
      gateway: '10.78.1.17',
      address: '10.78.1.18',
    });
  });

  it('names the host end of the veth pair within the interface limit, apart from the bridge', () => {
    expect(vethName('0123456789')).toBe('hsv-0123456789');
    expect(vethName('0123456789').length).toBeLessThanOrEqual(15);
    expect(vethName('0123456789')).not.toBe(bridgeName('0123456789'));
  });
});
