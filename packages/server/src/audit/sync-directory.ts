import { closeSync, fsyncSync, openSync } from 'node:fs';

/** Makes a new directory entry durable; best effort where a directory cannot be opened. Does IO. */
export function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms refuse fsync on a directory; the file itself is synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
