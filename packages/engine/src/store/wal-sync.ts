import { close, fsync, open } from 'node:fs';
import { dirname } from 'node:path';
import { WalCheckpointer } from './wal-checkpointer.ts';

/**
 * Makes a SQLite write-ahead log durable off the event loop. A transaction committed with
 * synchronous=NORMAL has written its frames to the WAL (so a killed process loses nothing: they are
 * in the operating system's cache) but not fsynced them; `sync()` resolves once an fsync of the WAL
 * that started after the call has finished, so everything committed before the call survives a power
 * loss too. The fsync runs in libuv's thread pool while the event loop goes on with the next batch.
 * Concurrent calls share fsyncs: one running, at most one more waiting to start after it. Each sync
 * also asks the connection's checkpoint thread (WalCheckpointer) to copy the WAL into the database, so that
 * SQLite's own checkpoint, with its fsyncs, does not run inside a COMMIT on the event loop.
 */
export class WalSync {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private directorySynced = false;

  constructor(private readonly databaseFile: string) {}

  sync(): Promise<void> {
    if (this.running === undefined) return this.start();
    // The fsync running now may have started before the caller's commit: wait for the one after it.
    this.next ??= this.running.then(ignore, ignore).then(() => {
      this.next = undefined;
      return this.start();
    });
    return this.next;
  }

  private start(): Promise<void> {
    const run: Promise<void> = this.fsyncWal().finally(() => {
      if (this.running === run) this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private async fsyncWal(): Promise<void> {
    // The WAL file stays the same file while this process holds its connection (SQLite removes it
    // only when the last connection closes); opened each time, a reset or truncated WAL is no matter.
    try {
      await fsyncPath(`${this.databaseFile}-wal`);
    } catch (error) {
      // No WAL: everything was checkpointed into the database file, which is then what must be on disk.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await fsyncPath(this.databaseFile);
    }
    if (!this.directorySynced) {
      // Once: the WAL's own directory entry, as SQLite does on its first sync of a new WAL.
      await fsyncPath(dirname(this.databaseFile));
      this.directorySynced = true;
    }
    WalCheckpointer.of(this.databaseFile)?.checkpointSoon();
  }
}

/** open, fsync, close, each in the thread pool; with callbacks, as FileHandle's promises cost the event loop more. */
function fsyncPath(path: string): Promise<void> {
  return new Promise((resolve, reject) =>
    open(path, 'r', (openError, fd) => {
      if (openError !== null) return reject(openError);
      fsync(fd, (syncError) => close(fd, (closeError) => {
        const error = syncError ?? closeError;
        if (error === null || error === undefined) resolve();
        else reject(error);
      }));
    }),
  );
}

function ignore(): void {}
