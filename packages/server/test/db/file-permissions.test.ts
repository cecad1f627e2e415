import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDuban } from '../../src/app/open-duban.ts';
import { onPostgres } from '../support/test-server.ts';

describe.skipIf(onPostgres)('a new SQLite database on disk', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('given no file yet, when duban creates the database and writes to it, then the file, its WAL and its shared memory are owner-only (0600)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'duban-perm-'));
    const file = join(dir, 'duban.db');
    const previous = process.umask(0o022);
    try {
      const duban = await openDuban(file, { create: true });
      try {
        await duban.tokens.create({ role: 'office' }, new Date('2023-05-10T01:00:00Z'));
        for (const path of [file, `${file}-wal`, `${file}-shm`]) expect((statSync(path).mode & 0o777).toString(8), path).toBe('600');
      } finally {
        await duban.close();
      }
    } finally {
      process.umask(previous);
    }
  });
});
