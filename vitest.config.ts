import { defineConfig } from 'vitest/config';

// Three suites: unit (pure logic, no engine), integration (the real sandbox engine),
// e2e (a real browser against a real server). `npm run test:unit` stays fast.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.spec.ts'],
          environment: 'node',
          // A deadline for hangs, not a speed test: a loaded CI machine takes more than
          // vitest's 5 s default to parse the whole course or start an in-process server.
          testTimeout: 30_000,
          // One private PostgreSQL for the run: every store spec runs on SQLite and on Postgres.
          globalSetup: ['test/unit/store/postgres-global-setup.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Sandboxes are heavy on a 2-core machine: one file at a time.
          poolOptions: { forks: { singleFork: true } },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
