import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { AuditEntry, Json } from '@duban/engine';
import { canonicalJson, keyName } from '@duban/engine';
import { UserError } from '../../user-error.ts';
import { publicKeyPem } from '../keys/audit-signing-key.ts';
import { recordedFiles } from '../../files/task-files.ts';
import { exportReadme } from './export-readme.ts';
import { FILES_DIR } from './exported-files.ts';
import { syncDirectory } from '../sync-directory.ts';

/** Lines gathered before each write, so a large log is written in bounded chunks. */
const CHUNK_LINES = 500;

/** Where an export reads the bytes of the files the entries recorded: chunk by chunk, nothing when they are gone. */
export interface ExportedFileSource {
  bytes(sha256: string): AsyncIterable<Uint8Array>;
}

/** What an export wrote. */
export interface ExportCount {
  readonly entries: number;
  /** Distinct files written under files/. */
  readonly files: number;
  /** Distinct files the entries recorded whose bytes were gone (verification names their entries). */
  readonly missingFiles: number;
}

/**
 * Writes an audit export to `dir` (made if missing; refused unless empty): entries.jsonl
 * streamed from `entries`, every file they recorded as files/<sha256> (the bytes as stored, even
 * when altered: the export is evidence), checkpoints.txt, pubkey.pem (when there is a key) and
 * README.txt; every file fsynced. The files are written into a hidden directory beside `dir`, renamed
 * to `dir` only when all are written: an export stopped half-way (an error, Ctrl-C thrown from
 * `entries`) leaves nothing behind. Does IO.
 */
export async function exportAuditLog(
  dir: string,
  entries: AsyncIterable<AuditEntry>,
  log: ExportFacts,
): Promise<ExportCount> {
  const target = resolve(dir);
  const existed = existsSync(target);
  if (existed && (await readdir(target)).length > 0) throw new UserError(`${dir} is not empty; export into a new or empty directory`);
  await mkdir(dirname(target), { recursive: true });
  const partial = join(dirname(target), `.${basename(target)}.partial-${randomUUID()}`);
  await mkdir(partial);
  try {
    const count = await writeExport(partial, entries, log);
    if (existed) await rmdir(target);
    await rename(partial, target);
    syncDirectory(dirname(target));
    return count;
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
}

interface ExportFacts {
  readonly origin: string;
  readonly checkpoints: readonly string[];
  readonly publicKey: KeyObject | undefined;
  readonly exportedAt: string;
  readonly files: ExportedFileSource;
}

async function writeExport(dir: string, entries: AsyncIterable<AuditEntry>, log: ExportFacts): Promise<ExportCount> {
  const handle = await open(join(dir, 'entries.jsonl'), 'wx', 0o644);
  let count = 0;
  const recorded = new Set<string>();
  try {
    let chunk: string[] = [];
    for await (const entry of entries) {
      for (const file of recordedFiles(entry)) recorded.add(file.sha256);
      // Canonical JSON: the same bytes whoever writes or re-reads it.
      chunk.push(`${canonicalJson(entry as unknown as Json)}\n`);
      count += 1;
      if (chunk.length >= CHUNK_LINES) {
        await handle.write(chunk.join(''));
        chunk = [];
      }
    }
    await handle.write(chunk.join(''));
    await handle.sync();
  } finally {
    await handle.close();
  }
  let files = 0;
  if (recorded.size > 0) {
    await mkdir(join(dir, FILES_DIR));
    for (const sha256 of recorded) if (await writeFileBytes(join(dir, FILES_DIR, sha256), log.files.bytes(sha256))) files += 1;
    syncDirectory(join(dir, FILES_DIR));
  }
  await writeSynced(join(dir, 'checkpoints.txt'), log.checkpoints.map((text) => `${text}\n`).join(''));
  if (log.publicKey !== undefined) await writeSynced(join(dir, 'pubkey.pem'), publicKeyPem(log.publicKey));
  const facts = { origin: log.origin, entries: count, files, checkpoints: log.checkpoints.length, keyName: log.publicKey === undefined ? undefined : keyName(log.publicKey), exportedAt: log.exportedAt };
  await writeSynced(join(dir, 'README.txt'), exportReadme(facts));
  syncDirectory(dir);
  return { entries: count, files, missingFiles: recorded.size - files };
}

/** Streams one file's bytes to `file`, fsynced; writes nothing and returns false when there are none. */
async function writeFileBytes(file: string, bytes: AsyncIterable<Uint8Array>): Promise<boolean> {
  let handle: FileHandle | undefined;
  try {
    for await (const piece of bytes) {
      handle ??= await open(file, 'wx', 0o644);
      await handle.write(piece);
    }
    await handle?.sync();
  } finally {
    await handle?.close();
  }
  return handle !== undefined;
}

async function writeSynced(file: string, text: string): Promise<void> {
  const handle = await open(file, 'wx', 0o644);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}
