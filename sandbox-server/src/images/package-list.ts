/**
 * Which Debian packages the local repository must hold: what lessons `apt-get install`
 * inside containers, plus everything the image recipes install (read from their Dockerfiles,
 * so a recipe that gains a package cannot be forgotten here).
 */

/** Packages lessons install by hand inside `debian` containers. */
export const LESSON_PACKAGES = [
  'cowsay',
  'curl',
  'iputils-ping',
  'vim-tiny',
  'nginx-light',
  'python3',
  'redis-server',
  'docker-registry',
  'procps',
  'iproute2',
  'less',
  'wget',
  'dnsutils',
  'git',
  // A multi-stage build compiles a small C program in its first stage.
  'gcc',
  'libc6-dev',
] as const;

/** What the sandbox image needs (its Dockerfile is read too; this keeps the floor). */
export const SANDBOX_PACKAGES = [
  'docker.io',
  'iptables',
  'tini',
  'tmux',
  'bash-completion',
  'apache2-utils',
  'socat',
  'e2fsprogs',
  'ca-certificates',
] as const;

/** Packages the pipeline itself takes files from (the busybox image and root filesystem). */
export const PIPELINE_PACKAGES = ['busybox-static'] as const;

/**
 * Package names that `apt-get install` lines of a Dockerfile ask for. Continuation lines are
 * joined first; options (`-y`, `--no-install-recommends`), shell variables and version pins
 * are left out.
 *
 * @example
 * aptPackagesInDockerfile('RUN apt-get update && apt-get install -y --no-install-recommends \\\n  curl tini')
 * // ['curl', 'tini']
 */
export function aptPackagesInDockerfile(dockerfile: string): string[] {
  const text = dockerfile.replace(/\\\r?\n/g, ' ');
  const found = new Set<string>();
  for (const match of text.matchAll(/\bapt(?:-get)?\s+(?:-\S+\s+)*install\b([^;&|\n)]*)/g)) {
    for (const word of match[1]!.trim().split(/\s+/)) {
      if (!word || word.startsWith('-') || word.includes('$')) continue;
      const name = word.split('=')[0]!;
      if (/^[a-z0-9][a-z0-9+.-]+$/.test(name)) found.add(name);
    }
  }
  return [...found];
}

/**
 * The whole sorted, de-duplicated list for the repository.
 *
 * @example
 * repositoryPackages(['FROM debian\nRUN apt-get install -y tini']).includes('tini') // true
 */
export function repositoryPackages(dockerfiles: readonly string[]): string[] {
  const all = new Set<string>([...LESSON_PACKAGES, ...SANDBOX_PACKAGES, ...PIPELINE_PACKAGES]);
  for (const text of dockerfiles) for (const name of aptPackagesInDockerfile(text)) all.add(name);
  return [...all].sort();
}
