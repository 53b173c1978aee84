import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `handson dev` on a draft outside content/: the page is served through the dev server, and a
// save of the prose re-verifies the edited step and prints the verdict.

const root = path.resolve(import.meta.dirname, '../../../..');
const fixture = path.join(root, 'test/fixtures/lessons/03-interactive');

let dir: string;
let draft: string;
let child: ChildProcess;
let out = '';

/** Resolves once the CLI's stdout matches `pattern` (it fails the test on exit first). */
function printed(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} in handson dev's output:\n${out}`)),
      timeoutMs,
    );
    const look = () => {
      const match = out.match(pattern);
      if (!match) return false;
      clearTimeout(timer);
      child.stdout?.off('data', look);
      resolve(match);
      return true;
    };
    if (look()) return;
    child.stdout?.on('data', look);
    child.once('exit', (code) => reject(new Error(`handson dev exited (${code}):\n${out}`)));
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'handson-dev-spec-'));
  draft = path.join(dir, '03-interactive');
  await cp(fixture, draft, { recursive: true });
  child = spawn(process.execPath, ['sandbox-server/bin/handson.js', 'dev', draft, '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    out += chunk;
  });
  await printed(/dev: watching /, 150_000);
}, 180_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
}, 30_000);

describe('handson dev', () => {
  it("serves the draft's page and the API behind the same origin", async () => {
    const url = (await printed(/serving (http:\/\/\S+?)\/ with live reload/, 1000))[1]!;
    const page = await fetch(`${url}/en/lessons/interactive/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-run=');
    const health = await fetch(`${url}/healthz`);
    expect(health.headers.get('content-type')).toContain('application/json');
  });

  it('re-verifies the edited step when its prose is saved, and prints the verdict', async () => {
    const file = path.join(draft, 'en.mdx');
    const mdx = await readFile(file, 'utf8');
    // The prose now writes what the step's check does not expect: the step must fail.
    await writeFile(file, mdx.replace('echo made-inside >', 'echo made-elsewhere >'));
    await printed(/dev: en\.mdx saved: verifying interactive up to step "inside"/, 30_000);
    await printed(/dev: interactive \(prose en\) up to "inside": FAILED/, 240_000);
    expect(out).toContain('printed made-elsewhere');
    // Put right again, it passes.
    await writeFile(file, mdx);
    await printed(/dev: interactive \(prose en\) up to "inside": verified/, 240_000);
  }, 500_000);
});
