import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProbeOutput } from '../../../sandbox-server/src/doctor/bridge-probe.ts';
import { lessonImages, registryRef } from '../../../sandbox-server/src/doctor/image-refs.ts';

describe('image references', () => {
  it('name images as the registry stores Docker Hub names', () => {
    expect(registryRef('busybox')).toBe('library/busybox:latest');
    expect(registryRef('debian:bookworm')).toBe('library/debian:bookworm');
    expect(registryRef('training/webapp')).toBe('training/webapp:latest');
    expect(registryRef('docker.io/library/nginx:1.25')).toBe('library/nginx:1.25');
  });

  it('collect every lesson image, tolerate no lessons, and report a broken lesson.yaml', () => {
    const content = fs.mkdtempSync(path.join(os.tmpdir(), 'handson-content-'));
    expect(lessonImages(content)).toEqual({ refs: [], problems: [] });
    const write = (id: string, text: string) => {
      fs.mkdirSync(path.join(content, 'lessons', id), { recursive: true });
      fs.writeFileSync(path.join(content, 'lessons', id, 'lesson.yaml'), text);
    };
    write('01-a', 'order: 1\nimages: [busybox, nginx]\n');
    write('02-b', 'order: 2\nimages: [busybox, training/webapp]\n');
    write('03-c', 'order: 3\nimages: {bad: true}\n');
    write('04-d', 'order: 4\n');
    const { refs, problems } = lessonImages(content);
    expect(refs).toEqual([
      'library/busybox:latest',
      'library/nginx:latest',
      'training/webapp:latest',
    ]);
    expect(problems).toEqual([
      `${path.join(content, 'lessons', '03-c', 'lesson.yaml')}: images must be a list of image names`,
    ]);
  });
});

describe('bridge probe output', () => {
  it('counts any HTTP answer (a 404 too) as reached, and a timeout as not', () => {
    const urls = [
      'http://10.77.0.1:5480/v2/',
      'http://10.77.0.1:5481/debian/Packages',
      'http://10.77.0.1:9/x',
    ];
    const output = [
      '@@ http://10.77.0.1:5480/v2/',
      'rc=0',
      '@@ http://10.77.0.1:5481/debian/Packages',
      'wget: server returned error: HTTP/1.1 404 Not Found',
      'rc=1',
      '@@ http://10.77.0.1:9/x',
      "wget: can't connect to remote host (10.77.0.1): Connection refused",
      'rc=1',
    ].join('\r\n');
    expect(parseProbeOutput(output, urls).map((r) => r.answered)).toEqual([true, true, false]);
  });
});
