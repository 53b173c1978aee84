import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appHarness } from './app-harness.ts';

describe('the static site', () => {
  it('says how to build the site when site/dist is missing', async () => {
    const { call } = appHarness({ siteDir: '/nonexistent/dist' });
    const res = await call('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('npm run build');
  });

  it('serves the built site, directory indexes included, but never for /api paths', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-'));
    try {
      fs.writeFileSync(path.join(dir, 'index.html'), '<h1>Course</h1>');
      fs.mkdirSync(path.join(dir, 'lessons', 'one'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'lessons', 'one', 'index.html'), 'lesson one');
      fs.mkdirSync(path.join(dir, 'api'));
      fs.writeFileSync(path.join(dir, 'api', 'secret'), 'no');
      const { call } = appHarness({ siteDir: dir });
      expect(await (await call('/')).text()).toBe('<h1>Course</h1>');
      const lesson = await call('/lessons/one/');
      expect(lesson.headers.get('content-type')).toMatch(/text\/html/);
      expect(await lesson.text()).toBe('lesson one');
      const api = await call('/api/secret');
      expect(api.status).toBe(404);
      expect((await api.json()).error.code).toBe('not_found');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the site’s pages', () => {
  it('carry a Content-Security-Policy that allows their own inline scripts only, and no framing by others', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-'));
    try {
      const inline = "document.documentElement.classList.add('js');";
      fs.writeFileSync(
        path.join(dir, 'index.html'),
        `<script>${inline}</script><script type="module" src="/_astro/a.js"></script>`,
      );
      const { call } = appHarness({ siteDir: dir });
      const res = await call('/');
      const policy = res.headers.get('content-security-policy') ?? '';
      const hash = createHash('sha256').update(inline).digest('base64');
      expect(policy).toContain(`script-src 'self' 'sha256-${hash}';`);
      expect(policy).toContain("frame-ancestors 'self'");
      expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(await res.text()).toContain(inline);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
