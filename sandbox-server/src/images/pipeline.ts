import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type Docker from 'dockerode';
import { type HandsonConfig, packagesUrl } from '../config.ts';
import { type BaseRootfs, ensureBaseRootfs } from './base-rootfs.ts';
import { IMAGES, type ImageSpec } from './catalog.ts';
import { combineHashes, hashDirectory } from './hash.ts';
import { ensureImage, type ImageResult, type ImageTarget, type Producer } from './image-step.ts';
import { repositoryPackages } from './package-list.ts';
import type { Step } from './progress.ts';
import { removeTree } from './remove-tree.ts';
import { fillPackageRepository, findDeb, repositoryDir } from './repository.ts';
import {
  assembleBusybox,
  assembleDebian,
  LAYOUT_VERSION,
  stagingDir,
  writeTarball,
} from './rootfs-images.ts';

/** The services the builds need running: the package repository (apt) and the registry (push). */
export interface Services {
  ensureRegistry(cfg: HandsonConfig): Promise<unknown>;
  ensurePackageRepository(cfg: HandsonConfig): Promise<unknown>;
}

/** What the steps hand to each other and to the summary. */
export interface PipelineState {
  base?: BaseRootfs;
  packageCount: number;
  ids: Map<string, string>;
  results: ImageResult[];
}

/** `sandbox-server/images`: one recipe folder per image. */
export function recipesDir(cfg: HandsonConfig): string {
  return path.join(cfg.projectRoot, 'sandbox-server', 'images');
}

/** The file sandboxes fetch for the "import a root filesystem" lesson. */
export function busyboxTarball(cfg: HandsonConfig): string {
  return path.join(cfg.packages.dir, 'rootfs', 'busybox-rootfs.tar');
}

/**
 * The steps of `handson images` for `specs`, each naming the steps it needs: the services,
 * the Debian tree, the package repository, then each image after the image it is built from.
 */
export function planSteps(
  cfg: HandsonConfig,
  docker: Docker,
  services: Services,
  specs: readonly ImageSpec[],
  state: PipelineState,
): Step[] {
  const recipes = recipesDir(cfg);
  const registryHost = `127.0.0.1:${cfg.registry.port}`;
  const steps: Step[] = [
    {
      id: 'services',
      title: 'Registry and package repository services',
      run: async () => {
        await services.ensurePackageRepository(cfg);
        await services.ensureRegistry(cfg);
        return { cached: true };
      },
    },
    {
      id: 'base',
      title: 'Debian base tree (debootstrap)',
      run: async (io) => {
        state.base = await ensureBaseRootfs(cfg, io);
        return { cached: state.base.cached };
      },
    },
    {
      id: 'packages',
      title: 'Package repository',
      needs: ['base'],
      run: async (io) => {
        const dockerfiles = await Promise.all(
          IMAGES.filter((spec) => spec.kind === 'dockerfile').map((spec) =>
            readFile(path.join(recipes, spec.name, 'Dockerfile'), 'utf8').catch(() => ''),
          ),
        );
        const repo = await fillPackageRepository(
          cfg,
          state.base!,
          repositoryPackages(dockerfiles),
          io,
        );
        state.packageCount = repo.count;
        return { cached: repo.cached, note: `${repo.count} packages` };
      },
    },
  ];
  for (const spec of specs) {
    steps.push({
      id: `image:${spec.name}`,
      title: `Image ${spec.localTags[0]}`,
      needs: imageNeeds(spec),
      run: async (io) => {
        const target: ImageTarget = {
          spec,
          ...(await keyAndProducer(cfg, spec, state)),
          registryHost,
          registryUrl: `http://${registryHost}`,
        };
        const { id, result } = await ensureImage(docker, target, io);
        if (spec.kind === 'busybox') await ensureBusyboxTarball(cfg, target);
        state.ids.set(spec.name, id);
        state.results.push(result);
        return { cached: result.cached };
      },
    });
  }
  return steps;
}

/** An import needs its source tree; a build needs its parent and apt; a push needs the registry. */
function imageNeeds(spec: ImageSpec): string[] {
  if (spec.kind === 'debootstrap') return ['base', 'services'];
  if (spec.kind === 'busybox') return ['packages', 'services'];
  return ['packages', 'services', ...(spec.parent ? [`image:${spec.parent}`] : [])];
}

async function keyAndProducer(
  cfg: HandsonConfig,
  spec: ImageSpec,
  state: PipelineState,
): Promise<{ key: string; producer: Producer }> {
  const recipe = path.join(recipesDir(cfg), spec.name);
  const changes = (spec.changes ?? []).join('\n');
  const cleanup = (dir: string) => removeTree(dir);
  if (spec.kind === 'debootstrap') {
    const base = state.base!;
    const overlay = path.join(recipe, 'rootfs');
    const sources = `deb [trusted=yes] ${packagesUrl(cfg)}/debian ./`;
    const key = combineHashes({
      kind: spec.kind,
      layout: LAYOUT_VERSION.debian,
      base: base.key,
      overlay: await hashDirectory(overlay),
      sources,
      changes,
    });
    const assemble = async () => {
      const dir = await stagingDir(cfg, spec.name);
      await assembleDebian(base.dir, overlay, dir, sources);
      return dir;
    };
    return { key, producer: { kind: 'import', assemble, cleanup } };
  }
  if (spec.kind === 'busybox') {
    const deb = await findDeb(repositoryDir(cfg), 'busybox-static');
    const overlay = path.join(recipe, 'rootfs');
    const key = combineHashes({
      kind: spec.kind,
      layout: LAYOUT_VERSION.busybox,
      deb: path.basename(deb),
      overlay: await hashDirectory(overlay),
      changes,
    });
    const assemble = async () => {
      const dir = await stagingDir(cfg, spec.name);
      await assembleBusybox(deb, overlay, dir);
      return dir;
    };
    return { key, producer: { kind: 'import', assemble, cleanup } };
  }
  if (!existsSync(path.join(recipe, 'Dockerfile'))) {
    throw new Error(
      `${path.relative(cfg.projectRoot, recipe)}/Dockerfile is missing, so the ${spec.name} image has no recipe. Restore it from git, or build the others with \`handson images --only <names>\`.`,
    );
  }
  const parentId = spec.parent ? state.ids.get(spec.parent) : undefined;
  if (spec.parent && !parentId)
    throw new Error(`${spec.name} is built from ${spec.parent}, which was not built first.`);
  const key = combineHashes({
    kind: spec.kind,
    recipe: await hashDirectory(recipe),
    parent: parentId ?? '',
  });
  return { key, producer: { kind: 'build', contextDir: recipe } };
}

/** The root-filesystem tarball is the busybox image's tree; remade when that key changes. */
async function ensureBusyboxTarball(cfg: HandsonConfig, target: ImageTarget): Promise<void> {
  const file = busyboxTarball(cfg);
  const stamp = `${file}.key`;
  const current = existsSync(stamp) ? await readFile(stamp, 'utf8') : '';
  if (current === target.key && existsSync(file)) return;
  if (target.producer.kind !== 'import') return;
  const dir = await target.producer.assemble();
  try {
    await writeTarball(dir, file);
    await writeFile(stamp, target.key);
  } finally {
    await target.producer.cleanup(dir);
  }
}
