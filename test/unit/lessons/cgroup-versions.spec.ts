import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { lessonSchema } from '#contracts/lesson.ts';

// Lesson 11 reads a container's cgroup files, which live in different places on cgroup v1 and
// v2. The machines that run the course's verify have v1 only, so the v2 branch of the commands
// is proved here: the script each command runs inside the container is run against a fixture
// tree laid out like v1 or like v2, and must print the same limit from both.

const lessonDir = path.resolve(
  import.meta.dirname,
  '../../../content/lessons/11-resources-and-observing',
);
const lesson = lessonSchema.parse(
  YAML.parse(readFileSync(path.join(lessonDir, 'lesson.yaml'), 'utf8')),
);

/** The `sh -c '…'` script of the step's `docker exec <container> sh -c` line. */
function containerScript(stepId: string): { line: string; script: string } {
  const step = lesson.steps.find((s) => s.id === stepId);
  if (!step || typeof step.solution !== 'string') throw new Error(`no shell step ${stepId}`);
  const line = step.solution.split('\n').find((l) => /docker exec \S+ sh -c '/.test(l));
  const script = line?.match(/sh -c '([^']*)'/)?.[1];
  if (!line || !script) throw new Error(`step ${stepId} has no docker exec … sh -c line`);
  return { line, script };
}

let fixture: string | undefined;
afterEach(() => {
  if (fixture) rmSync(fixture, { recursive: true, force: true });
  fixture = undefined;
});

/** A fixture cgroup tree: `files` maps paths under /sys/fs/cgroup to their contents. */
function cgroupTree(files: Record<string, string>): string {
  fixture = mkdtempSync(path.join(tmpdir(), 'handson-cgroup-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(fixture, file)), { recursive: true });
    writeFileSync(path.join(fixture, file), `${text}\n`);
  }
  return fixture;
}

function runIn(root: string, script: string): string {
  const local = script.replaceAll('/sys/fs/cgroup', root);
  return execFileSync('sh', ['-c', local], { encoding: 'utf8' }).trim();
}

const V1 = {
  'memory/memory.limit_in_bytes': '67108864',
  'cpu/cpu.shares': '512',
  'cpuset/cpuset.cpus': '0-1',
};
const V2 = {
  'cgroup.controllers': 'cpuset cpu io memory pids',
  'memory.max': '67108864',
  'cpu.weight': '20',
};

describe('lesson 11 reads the cgroup files of v1 and of v2', () => {
  it('cgroup-file prints the memory limit from a v1 tree', () => {
    expect(runIn(cgroupTree(V1), containerScript('cgroup-file').script)).toBe('67108864');
  });

  it('cgroup-file prints the memory limit from a v2 tree', () => {
    expect(runIn(cgroupTree(V2), containerScript('cgroup-file').script)).toBe('67108864');
  });

  it('cpu-shares prints cpu.shares on v1 and cpu.weight on v2', () => {
    expect(runIn(cgroupTree(V1), containerScript('cpu-shares').script)).toBe('512');
    expect(runIn(cgroupTree(V2), containerScript('cpu-shares').script)).toBe('20');
  });

  it('the prose of every language runs the same commands as the solution', () => {
    for (const lang of ['ja', 'en']) {
      const prose = readFileSync(path.join(lessonDir, `${lang}.mdx`), 'utf8');
      for (const step of ['cgroup-file', 'cpu-shares']) {
        const { line } = containerScript(step);
        expect(prose, `${lang}.mdx, step ${step}`).toContain(line);
      }
    }
  });
});
