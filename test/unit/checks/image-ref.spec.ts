import { describe, expect, it } from 'vitest';
import { normalizeImageRef, sameImageRef } from '../../../sandbox-server/src/checks/image-ref.ts';

describe('image reference normalisation', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.25', 'docker.io/library/nginx:1.25'],
    ['library/nginx', 'docker.io/library/nginx:latest'],
    ['docker.io/nginx', 'docker.io/library/nginx:latest'],
    ['index.docker.io/library/nginx:latest', 'docker.io/library/nginx:latest'],
    ['training/webapp', 'docker.io/training/webapp:latest'],
    ['10.77.0.1:5480/busybox', '10.77.0.1:5480/busybox:latest'],
    ['localhost/app:v1', 'localhost/app:v1'],
    ['debian@sha256:abc', 'docker.io/library/debian@sha256:abc'],
  ])('%s is %s', (ref, full) => {
    expect(normalizeImageRef(ref)).toBe(full);
  });

  it('treats a short name and its full form as the same image, but not another tag', () => {
    expect(sameImageRef('nginx', 'docker.io/library/nginx:latest')).toBe(true);
    expect(sameImageRef('nginx', 'nginx:1.25')).toBe(false);
  });
});
