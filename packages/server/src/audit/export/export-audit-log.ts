import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditEntry, Json } from '@duban/engine';
import { canonicalJson, keyName } from '@duban/engine';
import { UserError } from '../../user-error.ts';
import { publicKeyPem } from '../keys/audit-signing-key.ts';
import { exportReadme } from './export-readme.ts';
import { syncDirectory } from '../sync-directory.ts';

/** Lines gathered before each write, so a large log is written in bounded chunks. */
const CHUNK_LINES = 500;

/**
 * Writes an audit export to `dir` (made if missing; refused unless empty): entries.jsonl
 * streamed from `entries`, checkpoints.txt, pubkey.pem (when there is a key) and README.txt; every
 * file fsynced. Returns how many entries it wrote. Does IO.
 */
export async function exportAuditLog(
  dir: string,
  entries: AsyncIterable<AuditEntry>,
  log: { origin: string; checkpoints: readonly string[]; publicKey: KeyObject | undefined; exportedAt: string },
): Promise<number> {
  if (existsSync(dir) && (await readdir(dir)).length > 0) throw new UserError(`${dir} is not empty; export into a new or empty directory`);
  await mkdir(dir, { recursive: true });
  const handle = await open(join(dir, 'entries.jsonl'), 'wx', 0o644);
  let count = 0;
  try {
    let chunk: string[] = [];
    for await (const entry of entries) {
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
  await writeSynced(join(dir, 'checkpoints.txt'), log.checkpoints.map((text) => `${text}\n`).join(''));
  if (log.publicKey !== undefined) await writeSynced(join(dir, 'pubkey.pem'), publicKeyPem(log.publicKey));
  const facts = { origin: log.origin, entries: count, checkpoints: log.checkpoints.length, keyName: log.publicKey === undefined ? undefined : keyName(log.publicKey), exportedAt: log.exportedAt };
  await writeSynced(join(dir, 'README.txt'), exportReadme(facts));
  syncDirectory(dir);
  return count;
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
