/**
 * Every image `handson images` makes, in build order. Pure data: doctor reads it to know what
 * must exist, the pipeline reads it to know what to build.
 */

/** How an image's filesystem is made. */
export type ImageKind =
  /** debootstrap of Debian, imported (`docker import`-style). */
  | 'debootstrap'
  /** busybox-static on an empty filesystem, imported. */
  | 'busybox'
  /** A Dockerfile in `sandbox-server/images/<name>/`, built on the sandbox engine. */
  | 'dockerfile';

export interface ImageSpec {
  /** Short name, also the recipe folder `sandbox-server/images/<name>/`. */
  name: string;
  kind: ImageKind;
  /** The image it is built FROM (a name in this catalog), for Dockerfile images. */
  parent?: string;
  /** Tags on the sandbox engine; the first is the one the cache is checked on. */
  localTags: string[];
  /** `repository:tag` in the local registry (Docker Hub names); empty = not pushed. */
  registryRefs: string[];
  /** Image config for imported images (`docker import --change`). */
  changes?: string[];
}

export const IMAGES: readonly ImageSpec[] = [
  {
    name: 'debian',
    kind: 'debootstrap',
    localTags: ['debian:bookworm', 'debian:latest', 'debian:12'],
    registryRefs: ['library/debian:bookworm', 'library/debian:latest', 'library/debian:12'],
    changes: [
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'CMD ["bash"]',
    ],
  },
  {
    name: 'busybox',
    kind: 'busybox',
    // 1.35 is bookworm's busybox-static: a real version tag for lessons that pull by tag.
    localTags: ['busybox:latest', 'busybox:1.35'],
    registryRefs: ['library/busybox:latest', 'library/busybox:1.35'],
    changes: [
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'CMD ["sh"]',
    ],
  },
  {
    name: 'hello-world',
    kind: 'dockerfile',
    parent: 'busybox',
    localTags: ['hello-world:latest'],
    registryRefs: ['library/hello-world:latest'],
  },
  {
    name: 'nginx',
    kind: 'dockerfile',
    parent: 'debian',
    localTags: ['nginx:latest'],
    registryRefs: ['library/nginx:latest'],
  },
  {
    name: 'redis',
    kind: 'dockerfile',
    parent: 'debian',
    localTags: ['redis:latest'],
    registryRefs: ['library/redis:latest'],
  },
  {
    name: 'webapp',
    kind: 'dockerfile',
    parent: 'debian',
    localTags: ['training/webapp:latest'],
    registryRefs: ['training/webapp:latest'],
  },
  {
    name: 'registry',
    kind: 'dockerfile',
    parent: 'debian',
    localTags: ['registry:latest', 'registry:2'],
    registryRefs: ['library/registry:latest', 'library/registry:2'],
  },
  {
    name: 'sandbox',
    kind: 'dockerfile',
    parent: 'debian',
    localTags: ['handson/sandbox:latest'],
    registryRefs: [],
  },
];

/** One tag doctor should find: in the local registry (`pushed`) or only on the sandbox engine. */
export interface ExpectedImage {
  name: string;
  repository: string;
  tag: string;
  pushed: boolean;
}

function splitRef(ref: string): { repository: string; tag: string } {
  const at = ref.lastIndexOf(':');
  return { repository: ref.slice(0, at), tag: ref.slice(at + 1) };
}

/**
 * What must exist after `handson images`: every registry `repository:tag` (Docker Hub names),
 * plus the sandbox image, which lives only on the sandbox engine.
 *
 * @example
 * expectedImages().find((i) => i.name === 'busybox')
 * // { name: 'busybox', repository: 'library/busybox', tag: 'latest', pushed: true }
 */
export function expectedImages(catalog: readonly ImageSpec[] = IMAGES): ExpectedImage[] {
  return catalog.flatMap((spec): ExpectedImage[] =>
    spec.registryRefs.length > 0
      ? spec.registryRefs.map((ref) => ({ name: spec.name, ...splitRef(ref), pushed: true }))
      : spec.localTags.map((ref) => ({ name: spec.name, ...splitRef(ref), pushed: false })),
  );
}

/**
 * The catalog narrowed to `only` plus everything those images are built from, in build order.
 *
 * @example
 * selectImages(['nginx']).map((s) => s.name) // ['debian', 'nginx']
 */
export function selectImages(
  only: readonly string[] | undefined,
  catalog: readonly ImageSpec[] = IMAGES,
): ImageSpec[] {
  if (!only || only.length === 0) return [...catalog];
  const byName = new Map(catalog.map((spec) => [spec.name, spec]));
  const wanted = new Set<string>();
  const add = (name: string) => {
    const spec = byName.get(name);
    if (!spec) {
      const known = catalog.map((s) => s.name).join(', ');
      throw new Error(`Unknown image "${name}". Known images: ${known}.`);
    }
    wanted.add(name);
    if (spec.parent) add(spec.parent);
  };
  for (const name of only) add(name);
  return catalog.filter((spec) => wanted.has(spec.name));
}
