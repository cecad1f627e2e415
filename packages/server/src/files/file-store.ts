import { createHash, randomUUID } from 'node:crypto';
import type { Dialect } from '@duban/engine';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';

/** A distinct file's content: its SHA-256, size and the type judged from its bytes. */
export interface StoredFile {
  readonly sha256: string;
  readonly size: number;
  readonly type: string;
}

/** A content as the store keeps it: with the CRC-32 a zip needs. */
export interface KeptFile extends StoredFile {
  readonly crc32: number;
}

/** One upload of a file: who sent it, when, under which name. */
export interface Upload extends StoredFile {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly unit: string | null;
  readonly uploadedAt: string;
}

/** What an upload records beside the content. */
export interface UploadRecord {
  readonly name: string;
  readonly role: string;
  readonly unit: string | null;
  readonly at: Date;
}

/** What a stored file is found to be when it is read back against what an audit entry recorded. */
export type FileCheck = 'intact' | 'missing' | 'altered';

/**
 * Evidence files in the database, content-addressed by SHA-256, so every server on the database
 * serves the same bytes: a file's bytes stream in chunk by chunk under its upload's key, and only
 * once the upload has ended and passed its checks does one row keep the content under its hash,
 * pointing to those chunks (one content for any number of uploads of the same bytes; the bytes are
 * written once). Does IO.
 */
export class FileStore {
  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly dialect: Dialect,
  ) {}

  /** A writer for one incoming file, started at `at`; `finish` or `abort` it. */
  writer(at: Date): FileWriter {
    return new FileWriter(this.db, this.dialect, at);
  }

  /** The uploads with these ids (the ones that exist). */
  async uploads(ids: readonly string[]): Promise<Map<string, Upload>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('file_upload')
      .innerJoin('file_content', 'file_content.sha256', 'file_upload.sha256')
      .select(['file_upload.id', 'file_upload.sha256', 'file_upload.name', 'file_upload.role', 'file_upload.unit', 'file_upload.uploaded_at', 'file_content.size', 'file_content.type'])
      .where('file_upload.id', 'in', [...ids])
      .execute();
    return new Map(rows.map((r) => [r.id, { id: r.id, sha256: r.sha256, name: r.name, role: r.role, unit: r.unit, uploadedAt: r.uploaded_at, size: Number(r.size), type: r.type }]));
  }

  /** The latest upload of these bytes by this uploader (role and unit), or undefined. */
  async ownUpload(sha256: string, uploader: { readonly role: string; readonly unit: string | null }): Promise<Upload | undefined> {
    const row = await this.db
      .selectFrom('file_upload')
      .select('id')
      .where('sha256', '=', sha256)
      .where('role', '=', uploader.role)
      .where((e) => (uploader.unit === null ? e('unit', 'is', null) : e('unit', '=', uploader.unit)))
      .orderBy('uploaded_at', 'desc')
      .executeTakeFirst();
    return row === undefined ? undefined : (await this.uploads([row.id])).get(row.id);
  }

  /** A content by its hash, or undefined. */
  async content(sha256: string): Promise<KeptFile | undefined> {
    const row = await this.db.selectFrom('file_content').select(['sha256', 'size', 'type', 'crc32']).where('sha256', '=', sha256).executeTakeFirst();
    return row === undefined ? undefined : { sha256: row.sha256, size: Number(row.size), type: row.type, crc32: Number(row.crc32) };
  }

  /** A content's bytes, chunk by chunk in order, one query each (never the whole file in memory). */
  async *bytes(sha256: string): AsyncGenerator<Buffer> {
    const content = await this.db.selectFrom('file_content').select('chunks_key').where('sha256', '=', sha256).executeTakeFirst();
    if (content === undefined) return;
    for (let n = 0; ; n++) {
      const row = await this.db.selectFrom('file_chunk').select('data').where('content_key', '=', content.chunks_key).where('n', '=', n).executeTakeFirst();
      if (row === undefined) return;
      yield Buffer.from(row.data);
    }
  }

  /** Reads a content back and compares it with what an entry recorded: present, of that size, with that hash. */
  async check(recorded: Pick<StoredFile, 'sha256' | 'size'>): Promise<FileCheck> {
    const stored = await this.content(recorded.sha256);
    if (stored === undefined) return 'missing';
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of this.bytes(recorded.sha256)) {
      hash.update(chunk);
      size += chunk.length;
    }
    if (size === 0 && recorded.size > 0) return 'missing';
    return size === recorded.size && stored.size === recorded.size && hash.digest('hex') === recorded.sha256 ? 'intact' : 'altered';
  }
}

/** SQLite's page cache while a chunk is written (pages; it spills to the WAL beyond). */
const CHUNK_WRITE_CACHE_PAGES = 64;

/**
 * One file streaming in: its chunks under `upload:<id>`, where they stay once `finish` keeps them.
 * Before its first chunk, a `file_incoming` row names the key with the upload's start, so chunks a
 * killed server leaves behind are found and removed later (abandoned-uploads.ts).
 */
export class FileWriter {
  readonly id = randomUUID();
  private readonly key = `upload:${this.id}`;
  private next = 0;
  /** The SQLite connection's page cache size, given back after each chunk's write. */
  private cacheSize: number | undefined;

  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly dialect: Dialect,
    private readonly startedAt: Date,
  ) {}

  /**
   * Stores the next chunk. A chunk need not survive a crash on its own: nothing names it until
   * `finish` commits. So its commit does not wait for the disk (SQLite: synchronous=NORMAL for this
   * one statement, on the connection held; PostgreSQL: synchronous_commit off for this one
   * transaction), and `finish`'s commit, which does, makes the log durable up to it and with it
   * every chunk written before. One wait for the disk a file instead of one a chunk.
   */
  async write(chunk: Buffer): Promise<void> {
    const row = { content_key: this.key, n: this.next, data: chunk };
    // The key is listed before its first chunk is written: a log that keeps a chunk keeps what came before it.
    const incoming = this.next === 0 ? { chunks_key: this.key, started_at: this.startedAt.toISOString(), abandoned_at: null } : undefined;
    if (this.dialect === 'postgres') {
      await this.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL synchronous_commit = off`.execute(trx);
        if (incoming !== undefined) await trx.insertInto('file_incoming').values(incoming).execute();
        await trx.insertInto('file_chunk').values(row).execute();
      });
    } else {
      await this.db.connection().execute(async (connection) => {
        this.cacheSize ??= (await sql<{ cache_size: number }>`PRAGMA cache_size`.execute(connection)).rows[0]?.cache_size ?? -2000;
        await sql`PRAGMA synchronous = NORMAL`.execute(connection);
        // A chunk's pages would otherwise stay in the connection's page cache (16 MB with better-sqlite3),
        // read by no one: the cache is cut to a few pages for the write, which holds them only until the
        // WAL has them, and given back its size after (it refills with what queries read).
        await sql.raw(`PRAGMA cache_size = ${CHUNK_WRITE_CACHE_PAGES}`).execute(connection);
        try {
          if (incoming !== undefined) await connection.insertInto('file_incoming').values(incoming).execute();
          await connection.insertInto('file_chunk').values(row).execute();
        } finally {
          await sql`PRAGMA synchronous = FULL`.execute(connection);
          await sql.raw(`PRAGMA cache_size = ${this.cacheSize}`).execute(connection);
        }
      });
    }
    this.next += 1;
  }

  /**
   * Keeps the file as `content` and records the upload, in one transaction; the content row points to
   * the chunks as written (nothing is moved), and when the same bytes were kept before, this upload's
   * chunks are dropped and the upload names the content kept. Throws, keeping nothing, when a sweep
   * took the upload for abandoned (it outlived the safe age) and may have removed chunks already.
   */
  async finish(content: KeptFile, upload: UploadRecord): Promise<Upload> {
    const uploadedAt = upload.at.toISOString();
    await this.db.transaction().execute(async (trx) => {
      // Deleting the row is the claim: a sweep that marked it first (PostgreSQL: whose mark this delete waited for) wins.
      const listed = await trx.deleteFrom('file_incoming').where('chunks_key', '=', this.key).where('abandoned_at', 'is', null).executeTakeFirst();
      if (this.next > 0 && Number(listed.numDeletedRows) === 0) throw new Error(`upload ${this.id}: its chunks were taken for abandoned by a sweep; the file is not kept`);
      const inserted = await trx
        .insertInto('file_content')
        .values({ sha256: content.sha256, size: content.size, type: content.type, crc32: content.crc32, chunks: this.next, created_at: uploadedAt, chunks_key: this.key })
        .onConflict((c) => c.column('sha256').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) await trx.deleteFrom('file_chunk').where('content_key', '=', this.key).execute();
      await trx.insertInto('file_upload').values({ id: this.id, sha256: content.sha256, name: upload.name, role: upload.role, unit: upload.unit, uploaded_at: uploadedAt }).execute();
    });
    return { sha256: content.sha256, size: content.size, type: content.type, id: this.id, name: upload.name, role: upload.role, unit: upload.unit, uploadedAt };
  }

  /** Drops what was written: the upload was refused or cut off. */
  async abort(): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('file_chunk').where('content_key', '=', this.key).execute();
      await trx.deleteFrom('file_incoming').where('chunks_key', '=', this.key).execute();
    });
  }
}
