import { basename, resolve } from 'node:path';
import type { Engine } from '@duban/engine';
import { isPostgresUrl } from '@duban/engine';

/**
 * The log's name, the first line of every checkpoint: the origin of its first checkpoint, so that
 * once one is signed the name never changes (a renamed file keeps it); before that, the default.
 * Does IO (reads the first stored checkpoint).
 */
export async function logOrigin(engine: Engine, location: string): Promise<string> {
  const [first] = await engine.checkpointsAfter(0, 1);
  return first?.origin ?? defaultOrigin(location);
}

/**
 * The log's name for a database that has no checkpoint yet: `duban/<file name>` for SQLite,
 * `duban/<database name>` for PostgreSQL, `duban/memory` for `:memory:`. Pure.
 */
export function defaultOrigin(location: string): string {
  let name: string;
  if (location === ':memory:') name = 'memory';
  else if (isPostgresUrl(location)) name = decodeURIComponent(new URL(location).pathname.replace(/^\//, '')) || 'postgres';
  else name = basename(resolve(location));
  // An origin is one token on the checkpoint's first line.
  return `duban/${name.replace(/[^\p{L}\p{N}._-]/gu, '_')}`;
}
