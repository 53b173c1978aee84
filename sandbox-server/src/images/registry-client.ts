/**
 * The little of the Registry HTTP API v2 the pipeline needs: which digest a tag points at,
 * and which repositories exist.
 */

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
].join(', ');

/**
 * The manifest digest `repository:tag` has in the registry at `base`, or undefined when the
 * tag is not there.
 *
 * @example
 * await manifestDigest('http://127.0.0.1:5480', 'library/busybox', 'latest') // 'sha256:…'
 */
export async function manifestDigest(
  base: string,
  repository: string,
  tag: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const response = await fetch(`${base}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { Accept: MANIFEST_TYPES },
    signal,
  });
  if (response.status === 404) return undefined;
  if (!response.ok) {
    throw new Error(
      `The registry at ${base} answered ${response.status} for ${repository}:${tag}.`,
    );
  }
  return response.headers.get('docker-content-digest') ?? undefined;
}

/**
 * Every repository in the registry (`GET /v2/_catalog`).
 *
 * @example
 * await listRepositories('http://127.0.0.1:5480') // ['library/busybox', …]
 */
export async function listRepositories(base: string, signal?: AbortSignal): Promise<string[]> {
  const response = await fetch(`${base}/v2/_catalog?n=1000`, { signal });
  if (!response.ok)
    throw new Error(`The registry at ${base} answered ${response.status} for /v2/_catalog.`);
  const body = (await response.json()) as { repositories?: string[] };
  return body.repositories ?? [];
}
