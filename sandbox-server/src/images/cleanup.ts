import type Docker from 'dockerode';
import { RECIPE_LABEL } from './image-step.ts';

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
