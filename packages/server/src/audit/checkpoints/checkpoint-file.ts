import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDirectory } from '../sync-directory.ts';

/*
 * A checkpoint file (`<db>.checkpoints`, an export's `checkpoints.txt`, a reviewer's `--checkpoint`
 * file) is UTF-8 text holding one or more signed checkpoints, each exactly as signed — its body
 * lines (origin, size, base64 root, `time …`), a blank line, its signature line `— <key> <base64>` —
 * and each followed by a blank line. The server only ever appends to it.
 */

/** Splits a checkpoint file's text into the signed texts it holds, in file order. Pure. */
export function splitCheckpoints(fileText: string): string[] {
  const lines = fileText.replace(/\r\n/g, '\n').split('\n');
  const texts: string[] = [];
  let i = 0;
  for (;;) {
    while (i < lines.length && lines[i] === '') i += 1;
    if (i >= lines.length) return texts;
    const body: string[] = [];
    while (i < lines.length && lines[i] !== '') body.push(lines[i++]!);
    i += 1;
    const signatures: string[] = [];
    while (i < lines.length && lines[i]!.startsWith('— ')) signatures.push(lines[i++]!);
    // A body without a signature is kept as it is, for the verifier to name.
    texts.push(`${body.join('\n')}\n${signatures.length === 0 ? '' : `\n${signatures.join('\n')}\n`}`);
  }
}

/** The checkpoint texts in a file. Does IO; a missing file throws ENOENT. */
export async function readCheckpointFile(file: string): Promise<string[]> {
  return splitCheckpoints(await readFile(file, 'utf8'));
}

/** Appends checkpoint texts to a file (created if missing) and fsyncs it before returning. Does IO. */
export async function appendCheckpoints(file: string, texts: readonly string[]): Promise<void> {
  if (texts.length === 0) return;
  const existed = existsSync(file);
  const handle = await open(file, 'a', 0o644);
  try {
    await handle.appendFile(texts.map((text) => `${text}\n`).join(''), 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (!existed) syncDirectory(dirname(file));
}
