import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import type { HandsonConfig } from '../config.ts';
import { imagesCacheDir } from './base-rootfs.ts';
import { RECIPE_LABEL } from './image-step.ts';
import { removeTree } from './remove-tree.ts';

/**
 * Removes staging trees of killed runs. Call it holding the run lock: then no staging tree
 * belongs to a live run.
 *
 * @example
 * await removeStaleStaging(cfg);
 */
export async function removeStaleStaging(cfg: HandsonConfig): Promise<void> {
  const staging = path.join(imagesCacheDir(cfg), 'staging');
  if (!existsSync(staging)) return;
  for (const name of await readdir(staging)) await removeTree(path.join(staging, name));
}

/**
 * Clears what earlier runs left: temporary `handson-build/*` tags of killed builds and the
 * untagged old versions of the project's images (never ones a container still uses, which
 * the engine refuses to prune).
 *
 * @example
 * await removeLeftovers(docker);
 */
export async function removeLeftovers(docker: Docker): Promise<void> {
  const temporary = await docker.listImages({ filters: { reference: ['handson-build/*'] } });
  for (const image of temporary) {
    for (const tag of image.RepoTags ?? []) {
      await docker
        .getImage(tag)
        .remove({ noprune: true })
        .catch(() => undefined);
    }
  }
  await docker.pruneImages({ filters: { dangling: ['true'], label: [RECIPE_LABEL] } });
}
