import type Docker from 'dockerode';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as engine from '../../../sandbox-server/src/images/engine.ts';
import {
  ensureImage,
  type ImageTarget,
  RECIPE_LABEL,
} from '../../../sandbox-server/src/images/image-step.ts';
import * as registry from '../../../sandbox-server/src/images/registry-client.ts';

// A fake engine and registry: what ensureImage decides is pure logic over their answers.
vi.mock('../../../sandbox-server/src/images/engine.ts', () => ({
  inspectImage: vi.fn(),
  buildDirectory: vi.fn(),
  importDirectory: vi.fn(),
  tagImage: vi.fn(),
  untag: vi.fn(),
  pushImage: vi.fn(),
}));
vi.mock('../../../sandbox-server/src/images/registry-client.ts', () => ({
  manifestDigest: vi.fn(),
}));

const docker = {} as Docker;
const KEY = `sha256:${'a'.repeat(64)}`;
const target: ImageTarget = {
  spec: {
    name: 'nginx',
    kind: 'dockerfile',
    parent: 'debian',
    localTags: ['nginx:latest'],
    registryRefs: ['library/nginx:latest'],
  },
  key: KEY,
  producer: {
    kind: 'build',
    contextDir: new URL('../../../sandbox-server/images/nginx', import.meta.url).pathname,
  },
  registryHost: '127.0.0.1:5480',
  registryUrl: 'http://127.0.0.1:5480',
};
const pushedTag = '127.0.0.1:5480/library/nginx:latest';

function imageWith(labelKey: string, repoDigests: string[] = []) {
  return {
    Id: 'sha256:image1',
    RepoTags: ['nginx:latest', pushedTag],
    RepoDigests: repoDigests,
    Config: { Labels: { [RECIPE_LABEL]: labelKey } },
  } as unknown as Docker.ImageInspectInfo;
}

describe('making one image current', () => {
  beforeEach(() => vi.resetAllMocks());

  it('does nothing when the local image carries the key and the registry has what was pushed', async () => {
    vi.mocked(engine.inspectImage).mockResolvedValue(
      imageWith(KEY, ['127.0.0.1:5480/library/nginx@sha256:m1']),
    );
    vi.mocked(registry.manifestDigest).mockResolvedValue('sha256:m1');
    const { result } = await ensureImage(docker, target);
    expect(result).toMatchObject({
      name: 'nginx',
      ref: pushedTag,
      digest: 'sha256:m1',
      cached: true,
    });
    expect(engine.buildDirectory).not.toHaveBeenCalled();
    expect(engine.pushImage).not.toHaveBeenCalled();
  });

  it('builds under a temporary tag, moves the final tags, then pushes, when the recipe changed', async () => {
    vi.mocked(engine.inspectImage).mockImplementation(async (_docker, ref) =>
      ref.startsWith('handson-build/') ? imageWith(KEY) : imageWith('sha256:old'),
    );
    vi.mocked(engine.pushImage).mockResolvedValue('sha256:m2');
    const { result } = await ensureImage(docker, target);
    const temporary = `handson-build/nginx:${KEY.slice(7, 19)}`;
    expect(engine.buildDirectory).toHaveBeenCalledWith(
      docker,
      target.producer.kind === 'build' ? target.producer.contextDir : '',
      temporary,
      { [RECIPE_LABEL]: KEY },
      {},
    );
    expect(engine.tagImage).toHaveBeenCalledWith(docker, 'sha256:image1', [
      'nginx:latest',
      pushedTag,
    ]);
    expect(engine.untag).toHaveBeenCalledWith(docker, temporary);
    expect(engine.pushImage).toHaveBeenCalledWith(docker, pushedTag, {});
    expect(result).toMatchObject({ digest: 'sha256:m2', cached: false });
  });

  it('leaves the final tags alone when the build fails', async () => {
    vi.mocked(engine.inspectImage).mockResolvedValue(imageWith('sha256:old'));
    vi.mocked(engine.buildDirectory).mockRejectedValue(new Error('apt-get exited with 100'));
    await expect(ensureImage(docker, target)).rejects.toThrow('apt-get exited with 100');
    expect(engine.tagImage).not.toHaveBeenCalled();
    expect(engine.pushImage).not.toHaveBeenCalled();
  });

  it('pushes again, without building, when the registry lost the tag', async () => {
    vi.mocked(engine.inspectImage).mockResolvedValue(
      imageWith(KEY, ['127.0.0.1:5480/library/nginx@sha256:m1']),
    );
    vi.mocked(registry.manifestDigest).mockResolvedValue(undefined);
    vi.mocked(engine.pushImage).mockResolvedValue('sha256:m1');
    const { result } = await ensureImage(docker, target);
    expect(engine.buildDirectory).not.toHaveBeenCalled();
    expect(engine.pushImage).toHaveBeenCalledTimes(1);
    expect(result.cached).toBe(false);
  });

  it('pushes again when the registry tag points at another image', async () => {
    vi.mocked(engine.inspectImage).mockResolvedValue(
      imageWith(KEY, ['127.0.0.1:5480/library/nginx@sha256:m1']),
    );
    vi.mocked(registry.manifestDigest).mockResolvedValue('sha256:someone-else');
    vi.mocked(engine.pushImage).mockResolvedValue('sha256:m1');
    await ensureImage(docker, target);
    expect(engine.pushImage).toHaveBeenCalledTimes(1);
  });

  it('reports a local-only image by its tag and id', async () => {
    vi.mocked(engine.inspectImage).mockResolvedValue({
      ...imageWith(KEY),
      RepoTags: ['handson/sandbox:latest'],
    } as Docker.ImageInspectInfo);
    const sandbox = {
      ...target,
      spec: {
        ...target.spec,
        name: 'sandbox',
        localTags: ['handson/sandbox:latest'],
        registryRefs: [],
      },
    };
    const { result } = await ensureImage(docker, sandbox);
    expect(result).toMatchObject({
      ref: 'handson/sandbox:latest',
      digest: 'sha256:image1',
      cached: true,
    });
    expect(registry.manifestDigest).not.toHaveBeenCalled();
  });
});
