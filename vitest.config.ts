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

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: projectDirs.map((dir) => ({
      extends: true,
      test: {
        name: dir.split('/')[1]!,
        root: dir,
        globalSetup: postgresProjects.has(dir.split('/')[1]!) ? [`${process.cwd()}/${pgGlobalSetup}`] : [],
        include: ['src/**/*.test.ts', 'src/**/*.test.tsx', '__tests__/**/*.test.ts', 'test/**/*.test.ts'],
      },
    })),
  },
});
