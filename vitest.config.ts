import { configDefaults, defineConfig } from 'vitest/config';

// Vitest's failure reporter calls Map.groupBy, which Node 20 lacks; without this a failing test
// crashes the reporter instead of printing why it failed.
if (typeof (Map as { groupBy?: unknown }).groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', {
    value<K, V>(items: Iterable<V>, key: (item: V, index: number) => K): Map<K, V[]> {
      const groups = new Map<K, V[]>();
      let index = 0;
      for (const item of items) {
        const k = key(item, index++);
        const group = groups.get(k);
        if (group === undefined) groups.set(k, [item]);
        else group.push(item);
      }
      return groups;
    },
  });
}

// PostgreSQL: the project `postgres` runs the engine and server suites again with DUBAN_TEST_DB=postgres, plus
// the PostgreSQL-only tests, against the server at DUBAN_TEST_PG_URL (.ci/postgres.sh starts one; see
// docs/DEPLOYMENT.md). Without that URL the project is left out and says so.
const postgresUrl = process.env['DUBAN_TEST_PG_URL'];
const postgresOnly = ['packages/*/test/postgres/**', 'tests/postgres/**'];
if (!postgresUrl) console.warn('vitest: project "postgres" skipped: DUBAN_TEST_PG_URL is not set (run: .ci/postgres.sh npx vitest run)');

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Test files share their worker's module graph instead of importing the server afresh each: a
    // directory of page tests ran in 55 s instead of 171 s (imports were 44 % of the time). Every file
    // opens its own databases and servers and closes them, and restores any environment it sets.
    isolate: false,
    projects: [
      // Projects add to the root's include (arrays merge), so each project names its own files.
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['packages/*/test/**/*.test.ts', 'workflows/*/test/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...postgresOnly],
        },
      },
      ...(postgresUrl
        ? [
            {
              extends: true,
              test: {
                name: 'postgres',
                // Mostly waiting on the database server: two files at a time, after the SQLite project's files.
                maxWorkers: 2,
                sequence: { groupOrder: 1 },
                include: ['packages/engine/test/**/*.test.ts', 'packages/server/test/**/*.test.ts', 'tests/postgres/**/*.test.ts'],
                env: { DUBAN_TEST_DB: 'postgres' },
                globalSetup: ['packages/engine/test/support/postgres-global-setup.ts'],
                setupFiles: ['packages/engine/test/support/postgres-setup.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
