import type { AuditEntry } from '@duban/engine';
import type { FileCheck } from '../files/file-store.ts';
import type { RecordedFile } from '../files/task-files.ts';
import { recordedFiles } from '../files/task-files.ts';

/** A file an entry recorded whose bytes are no longer what it recorded. */
export interface BrokenFile {
  readonly seq: number;
  readonly name: string;
  readonly sha256: string;
  /** `missing`: deleted (or emptied); `altered`: replaced or truncated. */
  readonly problem: Exclude<FileCheck, 'intact'>;
}

export interface FilesReport {
  readonly ok: boolean;
  /** Distinct files (by SHA-256) read back and checked. */
  readonly files: number;
  /** Every entry's file found broken, in the log's order (the first few hundred). */
  readonly broken: readonly BrokenFile[];
}

/** More broken files than this are counted in `ok` but not listed one by one. */
const LISTED = 200;

/**
 * Reads back every file the log's entries recorded (their payload's `attachments`) through `check`
 * and names each entry whose file is missing, replaced or truncated. Each distinct content is read
 * once, however many entries name it. The recorded hashes are as trustworthy as the chain that
 * holds them: verify the chain too. Does IO through `check`.
 */
export async function verifyFiles(entries: AsyncIterable<AuditEntry>, check: (file: RecordedFile) => Promise<FileCheck>): Promise<FilesReport> {
  const seen = new Map<string, FileCheck>();
  const broken: BrokenFile[] = [];
  let ok = true;
  for await (const entry of entries) {
    for (const file of recordedFiles(entry)) {
      const key = `${file.sha256}:${file.size}`;
      let result = seen.get(key);
      if (result === undefined) {
        result = await check(file);
        seen.set(key, result);
      }
      if (result === 'intact') continue;
      ok = false;
      if (broken.length < LISTED) broken.push({ seq: entry.seq, name: file.name, sha256: file.sha256, problem: result });
    }
  }
  return { ok, files: new Set([...seen.keys()].map((key) => key.slice(0, 64))).size, broken };
}

/** A broken file in one English line, for the CLI and the API's `reason`. Pure. */
export function brokenFileLine(file: BrokenFile): string {
  return `seq ${file.seq}: file "${file.name}" (sha256 ${file.sha256}) ${file.problem === 'missing' ? 'is missing' : 'was replaced or truncated (its bytes no longer hash to the recorded sha256 and size)'}`;
}
