import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { FileCheck } from '../../files/file-store.ts';
import type { RecordedFile } from '../../files/task-files.ts';

/** The folder of an export that holds each recorded file under its SHA-256. */
export const FILES_DIR = 'files';

/**
 * Checks one recorded file against the export in `dir`: files/<sha256> present, of the recorded
 * size, hashing to the recorded SHA-256. Streams the file (never whole in memory). Does IO.
 */
export async function checkExportedFile(dir: string, file: Pick<RecordedFile, 'sha256' | 'size'>): Promise<FileCheck> {
  // The name comes from the log: only a hash may name a file to read.
  if (!/^[0-9a-f]{64}$/.test(file.sha256)) return 'missing';
  const hash = createHash('sha256');
  let size = 0;
  try {
    for await (const piece of createReadStream(join(dir, FILES_DIR, file.sha256)) as AsyncIterable<Buffer>) {
      hash.update(piece);
      size += piece.length;
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return 'missing';
    throw error;
  }
  if (size === 0 && file.size > 0) return 'missing';
  return size === file.size && hash.digest('hex') === file.sha256 ? 'intact' : 'altered';
}
