import { createHash } from 'node:crypto';
import { openStore } from '@duban/engine';
import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { describe, expect, it } from 'vitest';
import { serverMigrationFiles } from '../../src/db/server-migrations.ts';
import type { ServerDatabase } from '../../src/db/server-tables.ts';
import { FileStore } from '../../src/files/file-store.ts';

describe('migration 0014-file-chunks-key on a database that already holds files', () => {
  it('given a file kept before 0014 (its chunks under its SHA-256), when the database is migrated, then the file reads back whole and intact, and a cut chunk is still found altered', async () => {
    const store = await openStore(':memory:');
    const db = store.kysely as unknown as Kysely<ServerDatabase>;
    const upTo = async (last: string) => {
      const names = Object.keys(serverMigrationFiles).filter((name) => name <= last);
      const migrations = Object.fromEntries(names.map((name) => [name, serverMigrationFiles[name]!(store.dialect)]));
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableName: 'server_migration', migrationLockTableName: 'server_migration_lock' });
      const { error } = await migrator.migrateToLatest();
      if (error !== undefined) throw error;
    };
    try {
      await upTo('0013-leaders-and-circulars');
      const pieces = [Buffer.from('%PDF-1.4\nfirst piece\n'), Buffer.from('second piece\n%%EOF\n')];
      const sha256 = createHash('sha256').update(Buffer.concat(pieces)).digest('hex');
      const size = pieces[0]!.length + pieces[1]!.length;
      await (db as Kysely<any>).insertInto('file_content').values({ sha256, size, type: 'application/pdf', crc32: 0, chunks: 2, created_at: '2026-12-01T00:00:00.000Z' }).execute();
      await db.insertInto('file_chunk').values(pieces.map((data, n) => ({ content_key: sha256, n, data }))).execute();

      await upTo('0014-file-chunks-key');

      const files = new FileStore(db, store.dialect);
      const read: Buffer[] = [];
      for await (const piece of files.bytes(sha256)) read.push(piece);
      expect(Buffer.concat(read)).toEqual(Buffer.concat(pieces));
      expect(await files.check({ sha256, size })).toBe('intact');
      await db.updateTable('file_chunk').set({ data: pieces[1]!.subarray(0, 5) }).where('content_key', '=', sha256).where('n', '=', 1).execute();
      expect(await files.check({ sha256, size })).toBe('altered');
    } finally {
      await store.close();
    }
  });
});
