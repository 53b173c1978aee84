import { existsSync } from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import type { ImageSpec } from './catalog.ts';
import {
  buildDirectory,
  importDirectory,
  inspectImage,
  pushImage,
  type StepIo,
  tagImage,
  untag,
} from './engine.ts';
import { manifestDigest } from './registry-client.ts';

/** The image label holding the content key an image was made from. */
export const RECIPE_LABEL = 'dev.handson.recipe';

export interface ImageResult {
  name: string;
  /** Where a sandbox gets it: the registry reference, or the local tag for local-only images. */
  ref: string;
  /** The registry's manifest digest, or the image id for local-only images. */
  digest: string;
  /** Nothing was built, tagged or pushed. */
  cached: boolean;
  ms: number;
}

/** How an image's filesystem is produced when its key has changed. */
export type Producer =
  | { kind: 'import'; assemble: () => Promise<string>; cleanup: (dir: string) => Promise<void> }
  | { kind: 'build'; contextDir: string };

export interface ImageTarget {
  spec: ImageSpec;
  /** The content key: recipe files + parent image id (+ base tree / package for imports). */
  key: string;
  producer: Producer;
  /** `127.0.0.1:5480`: where the engine pushes. */
  registryHost: string;
  /** `http://127.0.0.1:5480`: where the registry's API is asked. */
  registryUrl: string;
}

/**
 * Makes one image current: builds it only when no local tag carries its content key, then
 * pushes each registry tag whose manifest is not the one the local image was pushed as.
 * Builds go to a temporary tag that is renamed at the end, so a killed run never leaves a
 * final tag on a half-made image. Resolves with the image id and what was done.
 *
 * @example
 * const { id, result } = await ensureImage(docker, target, { onLine: console.log });
 */
export async function ensureImage(
  docker: Docker,
  target: ImageTarget,
  io: StepIo = {},
): Promise<{ id: string; result: ImageResult }> {
  const started = performance.now();
  const { spec, key } = target;
  const registryTags = spec.registryRefs.map((ref) => `${target.registryHost}/${ref}`);
  const wantedTags = [...spec.localTags, ...registryTags];
  let info = await inspectImage(docker, spec.localTags[0]!);
  let changed = false;

  if (info?.Config?.Labels?.[RECIPE_LABEL] !== key) {
    const temporary = `handson-build/${spec.name}:${key.slice(7, 19)}`;
    await produce(docker, target, temporary, io);
    info = (await inspectImage(docker, temporary))!;
    await tagImage(docker, info.Id, wantedTags);
    await untag(docker, temporary);
    changed = true;
  } else if (!wantedTags.every((tag) => info!.RepoTags?.includes(tag))) {
    await tagImage(docker, info.Id, wantedTags);
    changed = true;
  }

  let digest = info.Id;
  for (const [i, ref] of spec.registryRefs.entries()) {
    const [repository, tag] = [
      ref.slice(0, ref.lastIndexOf(':')),
      ref.slice(ref.lastIndexOf(':') + 1),
    ];
    const remote = await manifestDigest(target.registryUrl, repository, tag, io.signal);
    const pushedAs = `${target.registryHost}/${repository}@${remote}`;
    if (remote && !changed && info.RepoDigests?.includes(pushedAs)) {
      digest = remote;
      continue;
    }
    io.onLine?.(`pushing ${registryTags[i]}`);
    digest = await pushImage(docker, registryTags[i]!, io);
    changed = true;
  }

  const ref = registryTags[0] ?? spec.localTags[0]!;
  const ms = Math.round(performance.now() - started);
  return { id: info.Id, result: { name: spec.name, ref, digest, cached: !changed, ms } };
}

async function produce(
  docker: Docker,
  target: ImageTarget,
  tag: string,
  io: StepIo,
): Promise<void> {
  const { producer, spec, key } = target;
  if (producer.kind === 'build') {
    if (!existsSync(path.join(producer.contextDir, 'Dockerfile'))) {
      throw new Error(
        `${producer.contextDir}/Dockerfile is missing: the ${spec.name} image has no recipe.`,
      );
    }
    await buildDirectory(docker, producer.contextDir, tag, { [RECIPE_LABEL]: key }, io);
    return;
  }
  const dir = await producer.assemble();
  try {
    const changes = [...(spec.changes ?? []), `LABEL ${RECIPE_LABEL}=${key}`];
    await importDirectory(docker, dir, tag, changes, io);
  } finally {
    await producer.cleanup(dir);
  }
}
