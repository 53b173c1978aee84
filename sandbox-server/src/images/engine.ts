import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { listFiles } from './hash.ts';

/** One line of the Engine API's JSON progress streams (build, import, push). */
interface ProgressEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string; Digest?: string };
}

/**
 * Reads an Engine API progress stream to its end. The engine reports a failed build or push
 * inside the stream with HTTP 200, so an `error` event is turned into a rejection here.
 */
export function followProgress(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onLine?: (line: string) => void,
): Promise<ProgressEvent[]> {
  return new Promise((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null, events: ProgressEvent[]) => {
        if (error) return reject(error);
        const failed = events.find((event) => event.error);
        if (failed) return reject(new Error(failed.errorDetail?.message ?? failed.error));
        resolve(events);
      },
      (event: ProgressEvent) => {
        const text = (event.stream ?? event.status ?? '').trim();
        if (text && onLine) onLine(text);
      },
    );
  });
}

/** The image's inspect data, or undefined when the reference does not exist. */
export async function inspectImage(
  docker: Docker,
  ref: string,
): Promise<Docker.ImageInspectInfo | undefined> {
  try {
    return await docker.getImage(ref).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

export interface StepIo {
  signal?: AbortSignal;
  onLine?: (line: string) => void;
}

/**
 * Imports a directory as a one-layer image (what `tar -c dir | docker import -` does), with
 * `changes` as its config (CMD, ENV, LABEL…). Owners are kept numeric: the files belong to
 * root in the image whatever the host's names are.
 *
 * @example
 * const id = await importDirectory(docker, '/tmp/rootfs', 'handson-build/busybox:abc', ['CMD ["sh"]']);
 */
export async function importDirectory(
  docker: Docker,
  dir: string,
  tag: string,
  changes: string[],
  io: StepIo = {},
): Promise<string> {
  const tar = spawn('tar', ['--numeric-owner', '-C', dir, '-c', '.'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    signal: io.signal,
  });
  const tarDone = new Promise<void>((resolve, reject) => {
    tar.on('error', reject);
    tar.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`tar of ${dir} exited with ${code}`)),
    );
  });
  const [repo, tagName] = splitTag(tag);
  const stream = (await docker.importImage(
    tar.stdout as Readable,
    {
      repo,
      tag: tagName,
      changes,
      abortSignal: io.signal,
    } as never,
  )) as unknown as NodeJS.ReadableStream;
  await Promise.all([followProgress(docker, stream, io.onLine), tarDone]);
  return (await docker.getImage(tag).inspect()).Id;
}

/**
 * Builds a recipe folder (a Dockerfile plus its files) on the engine, sending the folder as
 * the build context. `FROM` images are used as they are on the engine (nothing is pulled).
 *
 * @example
 * const id = await buildDirectory(docker, 'sandbox-server/images/nginx', 'handson-build/nginx:abc', { 'dev.handson.recipe': key });
 */
export async function buildDirectory(
  docker: Docker,
  dir: string,
  tag: string,
  labels: Record<string, string>,
  io: StepIo = {},
): Promise<string> {
  const stream = (await docker.buildImage({ context: dir, src: await listFiles(dir) }, {
    t: tag,
    labels,
    rm: true,
    forcerm: true,
    pull: false,
    abortSignal: io.signal,
  } as never)) as unknown as NodeJS.ReadableStream;
  await followProgress(docker, stream, io.onLine);
  return (await docker.getImage(tag).inspect()).Id;
}

/** Points every tag in `tags` at image `id` (moving tags that pointed elsewhere). */
export async function tagImage(docker: Docker, id: string, tags: readonly string[]): Promise<void> {
  for (const ref of tags) {
    const [repo, tag] = splitTag(ref);
    await docker.getImage(id).tag({ repo, tag });
  }
}

/** Removes one tag, leaving the image if other tags still name it. */
export async function untag(docker: Docker, ref: string): Promise<void> {
  try {
    await docker.getImage(ref).remove({ noprune: true });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
}

/**
 * Pushes `registry/repo:tag` (which must already be tagged) and resolves with the manifest
 * digest the registry stored.
 */
export async function pushImage(docker: Docker, ref: string, io: StepIo = {}): Promise<string> {
  const [repo, tag] = splitTag(ref);
  // An anonymous registry still wants the X-Registry-Auth header to be present.
  const stream = (await docker.getImage(repo).push({
    tag,
    authconfig: { username: '', password: '' },
    abortSignal: io.signal,
  } as never)) as unknown as NodeJS.ReadableStream;
  const events = await followProgress(docker, stream, io.onLine);
  const digest = events.map((event) => event.aux?.Digest).find(Boolean);
  if (!digest) throw new Error(`Pushing ${ref} finished without a manifest digest.`);
  return digest;
}

/** `host:5480/library/nginx:latest` → [`host:5480/library/nginx`, `latest`]. */
export function splitTag(ref: string): [string, string] {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
}
