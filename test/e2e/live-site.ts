import { afterAll, beforeAll } from 'vitest';
import { type LaunchedBrowser, launchBrowser } from '../../sandbox-server/src/dev/browser.ts';
import {
  endBrowserSessions,
  startTestServer,
  type TestServer,
} from '../../sandbox-server/src/dev/test-server.ts';

export interface LiveSite {
  readonly server: TestServer;
  readonly browser: LaunchedBrowser;
}

/**
 * Registers the suite's lifetime of a real server and a real browser: started before the
 * first test, and after the last one every session the browser opened is ended (so no sandbox
 * is left behind), then both are closed.
 *
 * @example
 * const live = useLiveSite();
 * it('opens', async () => { await live.browser.page.goto(`${live.server.url}/en/`); });
 */
export function useLiveSite(): LiveSite {
  const live = {} as { server?: TestServer; browser?: LaunchedBrowser };
  beforeAll(async () => {
    live.server = await startTestServer();
    live.browser = await launchBrowser();
  });
  afterAll(async () => {
    if (live.browser && live.server) {
      await endBrowserSessions(live.browser.page, live.server.url);
      await live.browser.close();
    }
    await live.server?.close();
  });
  return live as LiveSite;
}
