/**
 * Image references as the engine resolves them, so `nginx`, `library/nginx` and
 * `docker.io/library/nginx:latest` compare equal.
 */

/**
 * The fully qualified form of an image reference.
 *
 * @example
 * normalizeImageRef('nginx') // 'docker.io/library/nginx:latest'
 * normalizeImageRef('training/webapp:v2') // 'docker.io/training/webapp:v2'
 * normalizeImageRef('10.77.0.1:5480/busybox') // '10.77.0.1:5480/busybox:latest'
 */
export function normalizeImageRef(ref: string): string {
  if (/^(sha256:)?[0-9a-f]{64}$/.test(ref))
    return ref.startsWith('sha256:') ? ref : `sha256:${ref}`;
  let [name, digest] = ref.split('@') as [string, string | undefined];
  const firstSlash = name.indexOf('/');
  const first = firstSlash === -1 ? '' : name.slice(0, firstSlash);
  // A first component with a dot, a colon or "localhost" is a registry host (Docker's rule).
  const hasHost = first !== '' && (/[.:]/.test(first) || first === 'localhost');
  if (!hasHost) name = `docker.io/${firstSlash === -1 ? `library/${name}` : name}`;
  else if (first === 'index.docker.io') name = `docker.io${name.slice(first.length)}`;
  if (name.startsWith('docker.io/') && name.split('/').length === 2) {
    name = `docker.io/library/${name.slice('docker.io/'.length)}`;
  }
  if (digest) return `${name}@${digest}`;
  const lastSlash = name.lastIndexOf('/');
  return name.lastIndexOf(':') > lastSlash ? name : `${name}:latest`;
}

/**
 * Whether two references name the same image.
 *
 * @example
 * sameImageRef('nginx', 'docker.io/library/nginx:latest') // true
 */
export function sameImageRef(a: string, b: string): boolean {
  return normalizeImageRef(a) === normalizeImageRef(b);
}
