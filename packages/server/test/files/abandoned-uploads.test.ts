import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { ClientRequest } from 'node:http';
import { openStore } from '@duban/engine';
import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/create-logger.ts';
import { serverMigrationFiles } from '../../src/db/server-migrations.ts';
import type { ServerDatabase } from '../../src/db/server-tables.ts';
import { AbandonedUploads } from '../../src/files/abandoned-uploads.ts';
import { FileStore } from '../../src/files/file-store.ts';
import type { TestServer } from '../support/test-server.ts';
import { startTestServer, taskId } from '../support/test-server.ts';
import { pdfBytes } from './support.ts';

const LEAD = '市政务服务和公共资源交易中心';
const HOUR = 60 * 60 * 1000;
const CHUNK = 512 * 1024;

/** A PDF of `size` bytes: a real header, then random bytes (so no two are alike). */
const bigPdf = (size: number) => Buffer.concat([pdfBytes(), randomBytes(size - pdfBytes().length)]);

describe('abandoned uploads: the chunks a stopped server left behind are removed once old enough, nothing else', () => {
  let s: TestServer;
  let lead: string;
  let reviewer: string;
  const logLines: string[] = [];
  const kept: { sha256: string; bytes: Buffer }[] = [];

  const count = async (table: 'file_chunk' | 'file_incoming' | 'file_content') => Number((await s.db.selectFrom(table).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const upload = (bytes: Buffer, name: string) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    return s.request('/api/files', { method: 'POST', token: lead, body: form });
  };
  /** A writer that writes `chunks` chunks and is never finished: what a server killed mid-upload leaves. */
  const halfWritten = async (chunks: number) => {
    const writer = s.duban.files.writer(s.clock.now());
    for (let n = 0; n < chunks; n++) await writer.write(randomBytes(CHUNK));
    return writer;
  };
  const everyKeptFileIntact = async () => {
    for (const file of kept) {
      const served = await s.request(`/api/tasks/${taskId(2)}/files/${file.sha256}`, { token: reviewer });
      expect(served.status).toBe(200);
      expect(Buffer.from(await served.arrayBuffer()).equals(file.bytes)).toBe(true);
    }
    expect(await (await s.request('/api/audit/verify', { token: reviewer })).json()).toMatchObject({ ok: true, files: { checked: kept.length, broken: [] } });
  };

  beforeAll(async () => {
    // Given: two files kept and named by the lead's PROGRESS, one of them several chunks long.
    s = await startTestServer({ logLines });
    lead = await s.token('unit', LEAD);
    reviewer = await s.token('reviewer');
    expect((await s.send(lead, taskId(2), { type: 'START' })).status).toBe(200);
    const ids: string[] = [];
    for (const [name, bytes] of [['方案.pdf', bigPdf(3 * CHUNK + 1000)], ['小.pdf', pdfBytes('小')]] as const) {
      const response = await upload(bytes, name);
      expect(response.status).toBe(201);
      const { files } = (await response.json()) as { files: { id: string; sha256: string }[] };
      ids.push(files[0]!.id);
      kept.push({ sha256: files[0]!.sha256, bytes });
    }
    expect((await s.send(lead, taskId(2), { type: 'PROGRESS', summary: '佐证', attachments: ids.map((file) => ({ file })) })).status).toBe(200);
    expect(await count('file_incoming')).toBe(0);
  });
  afterAll(() => s.close());

  it('given an upload left half-written, when a sweep runs before the safe age, then it is kept; when one runs after it, then exactly its chunks go, logged, and every kept file still reads back whole', async () => {
    const chunksBefore = await count('file_chunk');
    await halfWritten(3);
    expect(await count('file_chunk')).toBe(chunksBefore + 3);
    expect(await count('file_incoming')).toBe(1);

    s.clock.advance(HOUR - 60_000);
    const early = await s.duban.abandonedUploads.sweep(s.clock.now());
    expect(early).toEqual({ removed: [], chunks: 0, bytes: 0, kept: [] });
    expect(await count('file_chunk')).toBe(chunksBefore + 3);

    s.clock.advance(2 * 60_000);
    const late = await s.duban.abandonedUploads.sweep(s.clock.now());
    expect(late.removed).toHaveLength(1);
    expect(late.removed[0]).toMatchObject({ chunks: 3, bytes: 3 * CHUNK });
    expect(await count('file_chunk')).toBe(chunksBefore);
    expect(await count('file_incoming')).toBe(0);
    expect(logLines.some((line) => line.includes('abandoned uploads: removed the chunks') && line.includes(late.removed[0]!.key))).toBe(true);
    await everyKeptFileIntact();
  });

  it('given an upload still being sent, when a sweep runs within the safe age, then its chunks stay and, once sent, it is kept whole', async () => {
    const bytes = bigPdf(2 * CHUNK + 5000);
    const boundary = 'duban-sweep';
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="在传.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    let req: ClientRequest | undefined;
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req = httpRequest(`${s.url}/api/files`, { method: 'POST', headers: { Authorization: `Bearer ${lead}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(head.length + bytes.length + tail.length) } }, (res) => {
        let body = '';
        res.on('data', (data: Buffer) => (body += data.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });
    const chunksBefore = await count('file_chunk');
    req!.write(Buffer.concat([head, bytes.subarray(0, 2 * CHUNK + 100)]));
    // The first two chunks are in the database (and the upload listed) while the request is still open.
    for (let tries = 0; (await count('file_chunk')) < chunksBefore + 2; tries++) {
      expect(tries).toBeLessThan(500);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    s.clock.advance(HOUR / 2);
    expect((await s.duban.abandonedUploads.sweep(s.clock.now())).removed).toEqual([]);
    req!.end(Buffer.concat([bytes.subarray(2 * CHUNK + 100), tail]));
    const { status, body } = await answered;
    expect(status).toBe(201);
    const { files } = JSON.parse(body) as { files: { id: string; sha256: string }[] };
    expect(files[0]!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await count('file_incoming')).toBe(0);
    const read: Buffer[] = [];
    for await (const piece of s.duban.files.bytes(files[0]!.sha256)) read.push(piece);
    expect(Buffer.concat(read).equals(bytes)).toBe(true);
  });

  it('given an upload a sweep took for abandoned, when its writer finishes after all, then it throws and keeps nothing', async () => {
    const writer = await halfWritten(1);
    const contents = await count('file_content');
    s.clock.advance(2 * HOUR);
    expect((await s.duban.abandonedUploads.sweep(s.clock.now())).removed).toHaveLength(1);
    const finished = writer.finish({ sha256: 'f'.repeat(64), size: CHUNK, type: 'application/pdf', crc32: 0 }, { name: 'x.pdf', role: 'unit', unit: LEAD, at: s.clock.now() });
    await expect(finished).rejects.toThrow(/taken for abandoned/);
    expect(await count('file_content')).toBe(contents);
    expect(await count('file_incoming')).toBe(0);
  });

  it('given a round bounded to 3 chunks in batches of 2, when an upload of 5 chunks is abandoned, then the first round removes 3 and the next the other 2, and only then drops its listing', async () => {
    const chunksBefore = await count('file_chunk');
    await halfWritten(5);
    s.clock.advance(2 * HOUR);
    const sweeper = new AbandonedUploads(s.db, createLogger({ level: 'silent' }), { chunksPerBatch: 2, chunksPerRound: 3 });
    const first = await sweeper.sweep(s.clock.now());
    expect(first).toMatchObject({ removed: [], chunks: 3 });
    expect(await count('file_chunk')).toBe(chunksBefore + 2);
    expect(await count('file_incoming')).toBe(1);
    const second = await sweeper.sweep(s.clock.now());
    expect(second.removed).toHaveLength(1);
    expect(second).toMatchObject({ chunks: 2 });
    expect(await count('file_chunk')).toBe(chunksBefore);
    expect(await count('file_incoming')).toBe(0);
    await everyKeptFileIntact();
  });
});

describe('migration 0017-file-incoming on a database that already holds chunks no file names', () => {
  it('given a kept file and the chunks of an upload cut off before 0017, when migrated and swept, then the orphan chunks are listed, kept one safe age from the first sweep, then removed, and the kept file stays', async () => {
    const store = await openStore(':memory:');
    const db = store.kysely as unknown as Kysely<ServerDatabase>;
    const migrate = async (wanted: (name: string) => boolean) => {
      const names = Object.keys(serverMigrationFiles).filter(wanted);
      const migrations = Object.fromEntries(names.map((name) => [name, serverMigrationFiles[name]!(store.dialect)]));
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableName: 'server_migration', migrationLockTableName: 'server_migration_lock' });
      const { error } = await migrator.migrateToLatest();
      if (error !== undefined) throw error;
    };
    try {
      await migrate((name) => name < '0017');
      const kept = pdfBytes('kept before 0017');
      const sha256 = createHash('sha256').update(kept).digest('hex');
      await db.insertInto('file_content').values({ sha256, size: kept.length, type: 'application/pdf', crc32: 0, chunks: 1, created_at: '2026-12-01T00:00:00.000Z', chunks_key: 'upload:kept' }).execute();
      await db.insertInto('file_chunk').values([{ content_key: 'upload:kept', n: 0, data: kept }, { content_key: 'upload:cut', n: 0, data: randomBytes(100) }, { content_key: 'upload:cut', n: 1, data: randomBytes(50) }]).execute();

      await migrate((name) => name <= '0017-file-incoming');

      expect(await db.selectFrom('file_incoming').selectAll().execute()).toEqual([{ chunks_key: 'upload:cut', started_at: null, abandoned_at: null }]);
      const sweeper = new AbandonedUploads(db, createLogger({ level: 'silent' }));
      expect((await sweeper.sweep(new Date('2026-12-08T00:00:00Z'))).removed).toEqual([]);
      expect((await sweeper.sweep(new Date('2026-12-08T00:59:00Z'))).removed).toEqual([]);
      const late = await sweeper.sweep(new Date('2026-12-08T01:01:00Z'));
      expect(late.removed).toEqual([{ key: 'upload:cut', startedAt: '2026-12-08T00:00:00.000Z', chunks: 2, bytes: 150 }]);
      expect(await db.selectFrom('file_chunk').select(['content_key', 'n']).execute()).toEqual([{ content_key: 'upload:kept', n: 0 }]);
      const files = new FileStore(db, store.dialect);
      expect(await files.check({ sha256, size: kept.length })).toBe('intact');
    } finally {
      await store.close();
    }
  });
});
