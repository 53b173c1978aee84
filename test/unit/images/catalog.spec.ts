import { describe, expect, it } from 'vitest';
import {
  expectedImages,
  IMAGES,
  selectImages,
} from '../../../sandbox-server/src/images/catalog.ts';

describe('the image catalog', () => {
  it('pushes every lesson image under its Docker Hub name', () => {
    const pushed = expectedImages()
      .filter((image) => image.pushed)
      .map((image) => `${image.repository}:${image.tag}`);
    expect(pushed).toEqual(
      expect.arrayContaining([
        'library/busybox:latest',
        'library/debian:bookworm',
        'library/debian:latest',
        'library/nginx:latest',
        'library/redis:latest',
        'training/webapp:latest',
        'library/registry:latest',
        'library/hello-world:latest',
      ]),
    );
  });

  it('keeps the sandbox image on the sandbox engine only', () => {
    expect(expectedImages().filter((image) => image.name === 'sandbox')).toEqual([
      { name: 'sandbox', repository: 'handson/sandbox', tag: 'latest', pushed: false },
    ]);
  });

  it('lists every image after the image it is built from', () => {
    const order = IMAGES.map((spec) => spec.name);
    for (const spec of IMAGES) {
      if (spec.parent) expect(order.indexOf(spec.parent)).toBeLessThan(order.indexOf(spec.name));
    }
  });

  it('selects an image together with its parents, in build order', () => {
    expect(selectImages(['hello-world', 'nginx']).map((spec) => spec.name)).toEqual([
      'debian',
      'busybox',
      'hello-world',
      'nginx',
    ]);
  });

  it('selects everything when nothing is named', () => {
    expect(selectImages(undefined)).toHaveLength(IMAGES.length);
  });

  it('names the known images when asked for an unknown one', () => {
    expect(() => selectImages(['ngnix'])).toThrow(
      /Unknown image "ngnix"\. Known images: debian, busybox/,
    );
  });
});
