import type { Response } from 'express';
import { attachmentDisposition } from '../http/content-disposition.ts';
import { problem } from '../http/problems.ts';
import { sendPieces } from '../http/send-pieces.ts';
import { previewableTypes } from './file-kinds.ts';
import type { FileStore } from './file-store.ts';
import type { TaskFile } from './task-files.ts';
import { ZIP_MAX_BYTES, zipPieces } from './zip-writer.ts';

/**
 * What every file response carries: the type judged at upload, never sniffed again by the browser,
 * and a policy under which nothing in it runs (no script, no plugin, no form, sandboxed); only this
 * server's own pages may frame it (a PDF previewed in the task page), never another site's.
 */
const FILE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox",
  'X-Frame-Options': 'SAMEORIGIN',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'private, max-age=0, must-revalidate',
} as const;

/** The ASCII name old clients see: the file's extension kept, the rest plain. Pure. */
function asciiName(name: string, fallback: string): string {
  const extension = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1];
  return extension === undefined ? fallback : `${fallback}.${extension}`;
}

/**
 * Sends one of a task's files: its bytes as stored, with the type judged from them at upload. A
 * previewable type (image, PDF) is shown in place when `inline` is asked; everything else, always a
 * download. 404 when the bytes are gone (verification names the entry). Does IO.
 */
export async function sendTaskFile(res: Response, store: FileStore, file: TaskFile, inline: boolean): Promise<void> {
  const content = await store.content(file.sha256);
  if (content === undefined) throw problem('fileNotFound', `the bytes of ${file.sha256} are not in the store`);
  const disposition = attachmentDisposition(file.name, asciiName(file.name, `file-${file.sha256.slice(0, 12)}`));
  await sendPieces(res, store.bytes(file.sha256), {
    ...FILE_HEADERS,
    'Content-Type': content.type,
    'Content-Length': String(content.size),
    'Content-Disposition': inline && previewableTypes.has(content.type) ? disposition.replace(/^attachment/, 'inline') : disposition,
    ETag: `"${file.sha256}"`,
  });
}

/** Sends every file of a task as one zip, named `<task>-佐证材料.zip`, each file once under `<seq>-<name>`. Does IO. */
export async function sendTaskFilesZip(res: Response, store: FileStore, taskLabel: string, files: readonly TaskFile[]): Promise<void> {
  const seen = new Set<string>();
  const members = [];
  let total = 0;
  for (const file of files) {
    const name = `${file.seq}-${file.name}`;
    if (seen.has(name)) continue;
    seen.add(name);
    const content = await store.content(file.sha256);
    if (content === undefined) throw problem('fileNotFound', `the bytes of ${file.sha256} (entry ${file.seq}) are not in the store`);
    total += content.size;
    members.push({ name, size: content.size, crc32: content.crc32, modified: new Date(file.at), bytes: () => store.bytes(file.sha256) });
  }
  if (total > ZIP_MAX_BYTES || members.length > 0xffff) throw problem('fileTooLarge', 'the task\'s files are too many or too large for one zip; download them one by one');
  await sendPieces(res, zipPieces(members), {
    ...FILE_HEADERS,
    'Content-Type': 'application/zip',
    'Content-Disposition': attachmentDisposition(`${taskLabel}-佐证材料.zip`, 'task-files.zip'),
  });
}
