/**
 * The images a lesson may declare: every image the local registry is built with. Asked of the
 * images module when it offers `expectedImages()`; otherwise the list below.
 */

const FALLBACK = [
  'busybox',
  'debian',
  'nginx',
  'redis',
  'training/webapp',
  'registry',
  'hello-world',
];

/**
 * Reduce an image reference to the name lessons use: `docker.io/library/nginx:latest` → `nginx`.
 *
 * @example
 * shortImageName('library/debian:bookworm') // 'debian'
 */
export function shortImageName(ref: string): string {
  let name = ref.replace(/@sha256:[0-9a-f]+$/, '');
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) name = name.slice(0, colon);
  return name
    .replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '')
    .replace(/^library\//, '');
}

let cached: Promise<string[]> | undefined;

/**
 * Short names of every image the project provides.
 *
 * @example
 * (await knownImages()).includes('nginx') // true
 */
export function knownImages(): Promise<string[]> {
  cached ??= (async () => {
    try {
      // A variable specifier: the images module may not offer this yet.
      const specifier = '../images/index.ts';
      const mod = (await import(specifier)) as { expectedImages?: () => unknown };
      const list = await mod.expectedImages?.();
      if (Array.isArray(list) && list.length > 0) {
        return [
          ...new Set(
            list.map((item) =>
              shortImageName(
                String(
                  // The repository (`training/webapp`) is the name lessons pull; `name` is the recipe's.
                  typeof item === 'object' && item && 'repository' in item
                    ? (item as { repository: unknown }).repository
                    : typeof item === 'object' && item && 'name' in item
                      ? (item as { name: unknown }).name
                      : item,
                ),
              ),
            ),
          ),
        ];
      }
    } catch {
      // Fall through to the documented list.
    }
    return FALLBACK;
  })();
  return cached;
}
