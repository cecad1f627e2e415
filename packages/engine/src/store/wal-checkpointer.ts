import { Worker } from 'node:worker_threads';

/** Slots of the Int32Array shared with the checkpoint thread. */
const POKES = 0;
const STOP = 1;
const CLOSED = 2;

/** A checkpoint at most this often: a page written by many batches in a row is copied once per interval. */
const CHECKPOINT_INTERVAL_MS = 250;
/**
 * SQLite's own checkpoint, on the writing connection, once the WAL holds this many pages (40 MiB) while
 * the thread runs (1,000 otherwise). It is still needed: SQLite starts the WAL over from its beginning
 * only at a write that begins with the WAL wholly copied, which under steady writes the thread, always
 * behind the writer, never sees; the writer's checkpoint at COMMIT then copies only what the thread has not.
 */
const WRITER_CHECKPOINT_PAGES = 10_000;
const SQLITE_DEFAULT_CHECKPOINT_PAGES = 1000;
/** How long `close()` waits for the checkpoint thread to close its connection (a checkpoint in progress ends first). */
const STOP_TIMEOUT_MS = 10_000;

/**
 * The checkpoint thread: its own connection to the file, which copies the WAL into the database
 * (PASSIVE: never waits for, nor blocks, the writer) when poked, at most once per interval. Plain
 * JavaScript evaluated in the worker, so the same code runs from the sources and from dist/.
 */
const CHECKPOINT_THREAD = `
const { workerData } = require('node:worker_threads');
const state = new Int32Array(workerData.state);
let db;
try {
  if (Atomics.load(state, ${STOP}) === 0) {
    const Database = require(workerData.driver);
    db = new Database(workerData.file, { fileMustExist: true });
    db.pragma('synchronous = FULL');
    db.pragma('cache_size = 16');
    let seen = 0;
    while (Atomics.load(state, ${STOP}) === 0) {
      Atomics.wait(state, ${POKES}, seen);
      if (Atomics.load(state, ${STOP}) !== 0) break;
      seen = Atomics.load(state, ${POKES});
      db.pragma('wal_checkpoint(PASSIVE)');
      Atomics.wait(state, ${STOP}, 0, ${CHECKPOINT_INTERVAL_MS});
    }
  }
} finally {
  try { db?.close(); } finally { Atomics.store(state, ${CLOSED}, 1); Atomics.notify(state, ${CLOSED}); }
}
`;

const opened = new Map<string, WalCheckpointer>();

/**
 * Copies a SQLite file's write-ahead log into the database on a thread of its own. Left to the
 * writing connection, SQLite's automatic checkpoint (every 1,000 pages) runs inside a COMMIT, on the
 * event loop, with two fsyncs: a few milliseconds to tens of them, every twenty batches or so of a
 * group commit. `checkpointSoon()` (WalSync calls it after each sync) has the thread's own connection
 * run a PASSIVE checkpoint instead, which neither waits for nor blocks the writer; the writer's
 * automatic checkpoint stays as the fallback, at a higher threshold while the thread runs.
 * The store finds it by the database file (`WalCheckpointer.of`): the connection's owner (openSqlite)
 * opens and closes it with the connection; `close()` closes the thread's connection first, so that
 * the writer's own close is the last one and leaves the database file whole, without a WAL beside it.
 */
export class WalCheckpointer {
  private closed = false;
  private worker: { readonly thread: Worker; readonly state: Int32Array } | undefined;

  private constructor(
    readonly databaseFile: string,
    private readonly driver: string,
    private readonly setWriterCheckpoint: (pages: number) => void,
  ) {}

  /**
   * Opened with the connection to `databaseFile` (absolute); `driver` is the path better-sqlite3 loads
   * from; `setWriterCheckpoint` sets that connection's `wal_autocheckpoint`. The thread starts on first use.
   */
  static open(databaseFile: string, driver: string, setWriterCheckpoint: (pages: number) => void): WalCheckpointer {
    const checkpointer = new WalCheckpointer(databaseFile, driver, setWriterCheckpoint);
    opened.set(databaseFile, checkpointer);
    return checkpointer;
  }

  /** The checkpointer of the connection open on `databaseFile` in this process, if any. */
  static of(databaseFile: string): WalCheckpointer | undefined {
    return opened.get(databaseFile);
  }

  /** Asks the checkpoint thread (started on first use) to checkpoint; returns at once. */
  checkpointSoon(): void {
    if (this.closed) return;
    this.worker ??= this.startWorker();
    Atomics.add(this.worker.state, POKES, 1);
    Atomics.notify(this.worker.state, POKES);
  }

  /** Synchronous, as the connection's own close: stops the checkpoint thread once its connection is closed. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (opened.get(this.databaseFile) === this) opened.delete(this.databaseFile);
    if (this.worker === undefined) return;
    const { thread, state } = this.worker;
    this.worker = undefined;
    Atomics.store(state, STOP, 1);
    Atomics.notify(state, POKES);
    Atomics.notify(state, STOP);
    if (Atomics.wait(state, CLOSED, 0, STOP_TIMEOUT_MS) === 'timed-out') void thread.terminate();
  }

  private startWorker(): { thread: Worker; state: Int32Array } {
    const state = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
    const thread = new Worker(CHECKPOINT_THREAD, { eval: true, workerData: { state: state.buffer, driver: this.driver, file: this.databaseFile } });
    // A checkpoint is only ever an optimization: the process neither waits for the thread nor fails with it.
    thread.unref();
    thread.on('error', () => {
      if (!this.closed) this.setWriterCheckpoint(SQLITE_DEFAULT_CHECKPOINT_PAGES);
    });
    this.setWriterCheckpoint(WRITER_CHECKPOINT_PAGES);
    return { thread, state };
  }
}
