import { describe, expect, it } from 'vitest';
import { checkDiff } from '../../../../sandbox-server/src/checks/kinds/diff.ts';
import { checkImage } from '../../../../sandbox-server/src/checks/kinds/image.ts';
import { checkInspect } from '../../../../sandbox-server/src/checks/kinds/inspect.ts';
import { checkNetwork } from '../../../../sandbox-server/src/checks/kinds/network.ts';
import { checkVolume } from '../../../../sandbox-server/src/checks/kinds/volume.ts';
import { container, contextWith, fakeEngine } from './fake-engine.ts';

const { docker } = fakeEngine({
  containers: { box: container('box', { Config: { Hostname: 'box', Env: [], Labels: {} } }) },
  changes: {
    box: [
      { Path: '/basket', Kind: 1 },
      { Path: '/usr/bin', Kind: 0 },
    ],
  },
  images: {
    cowsay: {
      Id: 'sha256:abcdef0123456789abcdef',
      Config: { Cmd: ['cowsay', 'moo'], Env: ['LANG=C'], ExposedPorts: { '80/tcp': {} } },
      RootFS: { Layers: ['a', 'b'] },
    },
  },
  networks: { app: { Driver: 'bridge', Containers: { x: { Name: 'box' } } } },
  volumes: { data: { Name: 'data' } },
  mounts: { data: ['db'] },
});
const ctx = contextWith(docker);

describe('diff checks', () => {
  it('find added paths and say when a path changed the wrong way', async () => {
    expect(
      (await checkDiff({ kind: 'diff', container: 'box', added: ['/basket/'] }, ctx)).passed,
    ).toBe(true);
    const wrong = await checkDiff({ kind: 'diff', container: 'box', deleted: ['/usr/bin'] }, ctx);
    expect(wrong.message.en).toMatch(
      /should list \/usr\/bin as deleted but it lists it as changed/,
    );
  });
});

describe('inspect checks', () => {
  it('compare a dotted path, and name the target that is missing', async () => {
    const ok = await checkInspect(
      { kind: 'inspect', container: 'box', path: 'Config.Hostname', equals: 'box' },
      ctx,
    );
    expect(ok.passed).toBe(true);
    const missing = await checkInspect({ kind: 'inspect', network: 'nope', path: 'Driver' }, ctx);
    expect(missing.message.en).toBe('there should be a network named `nope` but there is none');
  });
});

describe('image checks', () => {
  it('check cmd, env, exposed ports and layers, saying which one differs', async () => {
    const ok = await checkImage(
      { kind: 'image', ref: 'cowsay', cmd: ['cowsay', 'moo'], env: { LANG: 'C' }, exposed: [80] },
      ctx,
    );
    expect(ok.passed).toBe(true);
    const layers = await checkImage({ kind: 'image', ref: 'cowsay', layers: { min: 3 } }, ctx);
    expect(layers.message.en).toMatch(/should have .* layer\(s\) but it has 2/);
  });

  it('pass an image that must be gone only when it is', async () => {
    expect((await checkImage({ kind: 'image', ref: 'nginx', exists: false }, ctx)).passed).toBe(
      true,
    );
    const still = await checkImage({ kind: 'image', ref: 'cowsay', exists: false }, ctx);
    expect(still.message.en).toMatch(/should be removed but it is still there \(abcdef012345\)/);
  });
});

describe('network checks', () => {
  it('check the driver and the containers attached', async () => {
    expect(
      (await checkNetwork({ kind: 'network', name: 'app', containers: ['box'] }, ctx)).passed,
    ).toBe(true);
    const other = await checkNetwork({ kind: 'network', name: 'app', driver: 'overlay' }, ctx);
    expect(other.message.en).toMatch(/should use driver overlay but it uses bridge/);
  });
});

describe('volume checks', () => {
  it('check the containers that mount it', async () => {
    expect(
      (await checkVolume({ kind: 'volume', name: 'data', containers: ['db'] }, ctx)).passed,
    ).toBe(true);
    const web = await checkVolume({ kind: 'volume', name: 'data', containers: ['web'] }, ctx);
    expect(web.message.en).toBe('container `web` should mount volume `data` but only db do');
    const missing = await checkVolume({ kind: 'volume', name: 'cache' }, ctx);
    expect(missing.message.ja).toMatch(/ボリューム `cache` があるはず/);
  });
});
