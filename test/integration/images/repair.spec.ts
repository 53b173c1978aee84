import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import { buildImages } from '../../../sandbox-server/src/images/index.ts';
import { docker } from './containers.ts';

const cfg = loadConfig();
const pushTag = `127.0.0.1:${cfg.registry.port}/library/hello-world:latest`;

describe('a run after a broken one', () => {
  it('puts back a tag that went missing and reports the image as not cached', async () => {
    await buildImages({ only: ['hello-world'], json: true });
    await docker.getImage(pushTag).remove({ noprune: true });

    const summary = await buildImages({ only: ['hello-world'], json: true });

    const hello = summary.images.find((image) => image.name === 'hello-world');
    expect(hello).toMatchObject({ ref: pushTag, cached: false });
    const info = await docker.getImage('hello-world:latest').inspect();
    expect(info.RepoTags).toEqual(expect.arrayContaining(['hello-world:latest', pushTag]));
  });

  it('leaves no temporary build tags behind', async () => {
    await buildImages({ only: ['hello-world'], json: true });
    const temporary = await docker.listImages({ filters: { reference: ['handson-build/*'] } });
    expect(temporary).toEqual([]);
  });
});
