import path from 'node:path';
import { POSTGRES_BIN, POSTGRES_PACKAGE } from '../services/postgres-service.ts';
import type { CheckResult, DoctorProbes } from './types.ts';

/**
 * What the test suites need beyond what serving needs: `npm test` asks for these checks
 * (`handson setup --tests`), `npm start` does not, so a server never gets a browser it does not use.
 */

/** The browser the e2e suite drives: Debian's chromium unless HANDSON_CHROMIUM names another. */
export const TEST_BROWSER = process.env.HANDSON_CHROMIUM ?? '/usr/bin/chromium';
/** The Debian package that brings `TEST_BROWSER` at its default path. */
const TEST_BROWSER_PACKAGE = 'chromium';

/**
 * The e2e suite's browser is installed. Only Debian's chromium is proposed for `--fix` (the
 * project never downloads a browser); a HANDSON_CHROMIUM path that is missing is the user's to fix.
 *
 * @example
 * checkTestBrowser(probes) // { name: 'test browser', ok: true, detail: '/usr/bin/chromium is installed' }
 */
export function checkTestBrowser(p: DoctorProbes, browser: string = TEST_BROWSER): CheckResult {
  if (p.exists(browser)) {
    return { name: 'test browser', ok: true, detail: `${browser} is installed` };
  }
  const debians = browser === '/usr/bin/chromium';
  return {
    name: 'test browser',
    ok: false,
    detail: `${browser} is missing: the browser tests (test/e2e) drive it`,
    hint: debians
      ? `apt-get install -y --no-install-recommends ${TEST_BROWSER_PACKAGE}`
      : `Install a Chromium at ${browser}, or unset HANDSON_CHROMIUM to use Debian's.`,
    ...(debians && { fix: 'apt-install' as const, packages: [TEST_BROWSER_PACKAGE] }),
  };
}

/**
 * PostgreSQL is installed: every store spec runs on SQLite and on a private Postgres the test
 * setup starts from Debian's binaries (`services/postgres-service.ts`). `--fix` installs Debian's
 * package; the project never uses the cluster the package sets up.
 *
 * @example
 * checkTestPostgres(probes) // { name: 'test postgres', ok: true, detail: '…/pg_ctl is installed' }
 */
export function checkTestPostgres(p: DoctorProbes, bin: string = POSTGRES_BIN): CheckResult {
  const pgCtl = path.join(bin, 'pg_ctl');
  if (p.exists(pgCtl)) return { name: 'test postgres', ok: true, detail: `${pgCtl} is installed` };
  return {
    name: 'test postgres',
    ok: false,
    detail: `${pgCtl} is missing: the store specs run on PostgreSQL too`,
    hint: `apt-get install -y --no-install-recommends ${POSTGRES_PACKAGE}`,
    fix: 'apt-install',
    packages: [POSTGRES_PACKAGE],
  };
}
