import { existsSync, readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Workspace packages export their TypeScript source under this condition, so tests
// run against src/ without a build step; Node at run time uses dist/.
const conditions = ['@coachwire/source'];

const projectDirs = ['packages', 'apps'].flatMap((group) =>
  existsSync(group)
    ? readdirSync(group, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && existsSync(`${group}/${entry.name}/package.json`))
        .map((entry) => `${group}/${entry.name}`)
    : [],
);

// Projects with PostgreSQL suites: each starts a throwaway cluster (Debian's postgresql, see
// scripts/ensure-postgres.mjs) for its run and hands its URL to the tests.
const postgresProjects = new Set(['storage', 'runtime', 'api', 'cli']);
const pgGlobalSetup = 'packages/storage/src/test-support/pg-global-setup.ts';

/**
 * The API's HTTP suites again, on PostgreSQL: the fixture (apps/api/src/test-support/api-fixture.ts) opens a
 * fresh PostgreSQL database per test when COACHWIRE_TEST_BACKEND=postgres.
 */
const apiPostgresProject = {
  extends: true,
  test: {
    name: 'api-postgres',
    root: 'apps/api',
    globalSetup: [`${process.cwd()}/${pgGlobalSetup}`],
    env: { COACHWIRE_TEST_BACKEND: 'postgres' },
    // The events/ suites seed or read the SQLite file directly; the event log's PostgreSQL behaviour is
    // covered by storage's suites, events/event-log-poller-wake.test.ts and two-api-processes-postgres.test.ts.
    // fuzz-wire.test.ts (Node's parser on raw, half-closed sockets) stays on SQLite: see its header.
    include: [
      'src/routes/**/*.test.ts',
      'src/plugins/**/*.test.ts',
      'src/fuzz.test.ts',
      'src/test-support/api-fixture.test.ts',
    ],
    exclude: [
      // Closes the fixture's SQLite connection to make storage fail: SQLite-only.
      'src/plugins/http-behaviour.test.ts',
    ],
  },
};

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      ...projectDirs.map((dir) => ({
        extends: true as const,
        test: {
          name: dir.split('/')[1]!,
          root: dir,
          globalSetup: postgresProjects.has(dir.split('/')[1]!) ? [`${process.cwd()}/${pgGlobalSetup}`] : [],
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', '__tests__/**/*.test.ts', 'test/**/*.test.ts'],
        },
      })),
      apiPostgresProject,
    ],
  },
});
