import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HandsonConfig } from '../../config.ts';
import { contentDir, lessonCatalog } from '../../lessons/catalog.ts';
import type { LoadedLesson } from '../../lessons/load-lesson.ts';
import { startServer } from '../../server/start-server.ts';
import { buildSite, ensureSiteBuilt } from '../site-build.ts';

/**
 * The site the browser path opens: the real server (API, terminals, checks) on a free loopback
 * port with a throwaway database, serving the built pages of the lessons being verified. The
 * course's lessons use site/dist (built when stale); a lesson folder outside content/ (an
 * author's draft) gets its own build in a temp directory, with the server's checks read from
 * the same copy.
 *
 * @example
 * const site = await startBrowserSite(cfg, lessons);
 * // … open `${site.url}/en/lessons/<id>/`
 * await site.close();
 */
export interface BrowserSite {
  url: string;
  close(): Promise<void>;
}

export async function startBrowserSite(
  cfg: HandsonConfig,
  lessons: readonly LoadedLesson[],
): Promise<BrowserSite> {
  const dir = await mkdtemp(path.join(tmpdir(), 'handson-verify-browser-'));
  try {
    const course = contentDir(cfg);
    const inCourse = lessons.every((l) => path.dirname(l.dir) === course);
    let pages: { siteDir?: string; lessonsDir: string } = { lessonsDir: course };
    if (inCourse) await ensureSiteBuilt();
    else {
      const lessonsDir = path.join(dir, 'lessons');
      await mkdir(lessonsDir);
      for (const lesson of lessons)
        await cp(lesson.dir, path.join(lessonsDir, lesson.folder), { recursive: true });
      const siteDir = path.join(dir, 'dist');
      await buildSite({
        contentDir: lessonsDir,
        outDir: siteDir,
        cacheDir: path.join(dir, 'cache'),
      });
      pages = { siteDir, lessonsDir };
    }
    const running = await startServer({
      port: 0,
      host: '127.0.0.1',
      driver: 'dind',
      config: { ...cfg, database: path.join(dir, 'handson.sqlite') },
      catalog: lessonCatalog(pages.lessonsDir),
      siteDir: pages.siteDir,
      // Each page makes its own session; spare sandboxes would only take memory.
      warmPool: 0,
      log: () => undefined,
    });
    return {
      url: running.url,
      async close() {
        await running.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
