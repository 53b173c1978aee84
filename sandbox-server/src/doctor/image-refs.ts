import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * Which images lessons need, as the local registry names them (Docker Hub names: `busybox` is
 * `library/busybox:latest`), read from every `content/lessons/<id>/lesson.yaml`'s `images:`.
 */

/**
 * The registry `repository:tag` for an image reference as a learner types it.
 *
 * @example
 * registryRef('busybox') // 'library/busybox:latest'
 * registryRef('docker.io/training/webapp') // 'training/webapp:latest'
 * registryRef('debian:bookworm') // 'library/debian:bookworm'
 */
export function registryRef(image: string): string {
  let ref = image.trim().replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon <= slash) ref = `${ref}:latest`;
  if (!ref.includes('/')) ref = `library/${ref}`;
  return ref;
}

/**
 * Registry refs of every image any lesson declares, sorted and unique. No lessons (or no
 * `content/lessons` folder) is an empty list; a lesson.yaml that does not parse is reported.
 *
 * @example
 * lessonImages('/work/main/content') // ['library/busybox:latest', 'library/nginx:latest']
 */
export function lessonImages(contentDir: string): { refs: string[]; problems: string[] } {
  const lessonsDir = path.join(contentDir, 'lessons');
  const refs = new Set<string>();
  const problems: string[] = [];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(lessonsDir);
  } catch {
    return { refs: [], problems };
  }
  for (const entry of entries.sort()) {
    const file = path.join(lessonsDir, entry, 'lesson.yaml');
    if (!fs.existsSync(file)) continue;
    try {
      const doc = parse(fs.readFileSync(file, 'utf8')) as { images?: unknown } | null;
      const images = doc?.images;
      if (images === undefined) continue;
      if (!Array.isArray(images) || images.some((i) => typeof i !== 'string')) {
        problems.push(`${file}: images must be a list of image names`);
        continue;
      }
      for (const image of images as string[]) refs.add(registryRef(image));
    } catch (error) {
      problems.push(`${file}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return { refs: [...refs].sort(), problems };
}
