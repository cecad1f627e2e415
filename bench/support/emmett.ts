import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * emmett-sqlite, the append baseline, runs on the `sqlite3` native addon. Installing duban does not
 * build it (pnpm skips build scripts not listed in pnpm-workspace.yaml, which keeps `pnpm install` and
 * CI a couple of minutes shorter); the first `pnpm bench` builds it here, once.
 */
export async function loadEmmettSqlite(log: (line: string) => void = console.error) {
  const require = createRequire(import.meta.url);
  const sqlite3Dir = dirname(require.resolve('sqlite3/package.json', { paths: [dirname(require.resolve('@event-driven-io/emmett-sqlite'))] }));
  if (!existsSync(join(sqlite3Dir, 'build', 'Release', 'node_sqlite3.node'))) {
    log('building the sqlite3 addon for the emmett-sqlite baseline (once, about a minute)…');
    execFileSync('npm', ['run', 'install'], { cwd: sqlite3Dir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return import('@event-driven-io/emmett-sqlite');
}
