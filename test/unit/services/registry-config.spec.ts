import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { registryConfig } from '../../../sandbox-server/src/services/registry.ts';

const cfg = loadConfig({});

describe('registry config', () => {
  it('makes the gateway listener, which sandboxes reach, read-only with deletes off', () => {
    const gateway = registryConfig(cfg, { id: 'gateway', address: '10.77.0.1' }, 's');
    expect(gateway.storage.maintenance).toMatchObject({ readonly: { enabled: true } });
    expect(gateway.storage.delete).toEqual({ enabled: false });
    expect(gateway.http.addr).toBe('10.77.0.1:5480');
  });

  it('keeps the loopback listener, which handson images pushes to, writable', () => {
    const loopback = registryConfig(cfg, { id: 'loopback', address: '127.0.0.1' }, 's');
    expect(loopback.storage.maintenance).not.toHaveProperty('readonly');
    expect(loopback.storage.delete).toEqual({ enabled: true });
    expect(loopback.storage.filesystem).toEqual(
      registryConfig(cfg, { id: 'gateway', address: '10.77.0.1' }, 's').storage.filesystem,
    );
  });
});
