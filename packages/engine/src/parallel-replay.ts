import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AuditEntry } from './audit-entry.ts';
import type { ReplayDifference, ReplayedInstance, ReplayResult } from './replay.ts';

/** How to replay across threads: how many, and the module whose `workflows` export the threads load. */
export interface ReplayThreads {
  /** Worker threads; 1 replays on the calling thread. */
  readonly count: number;
  /** A module exporting `workflows`, the same definitions as the engine's registry (workers cannot receive functions). */
  readonly workflows: URL;
}

/** What a worker is started with: the module to load the workflows from. */
export interface ReplayWorkerData {
  readonly workflows: string;
}

/** What a worker receives: a replay begins (entries after `asOf`, epoch ms, left out), a batch of its entries, the end (`null`). */
export type ReplayMessage = { readonly asOf: number } | AuditEntry[] | null;

/** What a worker sends back: its instances in the order it created them, with the seq that created each. */
export interface ReplayPart {
  readonly instances: ReplayedInstance[];
  readonly createdAt: number[];
  readonly differences: ReplayDifference[];
  readonly entries: number;
}

/** The cores this process may use. */
export function availableCores(): number {
  return availableParallelism();
}

/** Below this many entries a replay is done about as soon as threads would have started (a few hundred ms each). */
const THREADS_FROM = 20_000;

/** The default number of replay threads for a log of `entries`: the cores available, or 1 (the calling thread) for a small log. */
export function defaultReplayWorkers(entries: number): number {
  return entries < THREADS_FROM ? 1 : availableCores();
}

/** Entries sent to a worker at once, and batches a worker may have waiting before the reader waits for it. */
const BATCH = 1000;
const IN_FLIGHT = 4;

// The worker's file beside this one: .ts from the sources, .js from dist/.
const WORKER_FILE = new URL(`./replay-worker${import.meta.url.slice(import.meta.url.lastIndexOf('.'))}`, import.meta.url);

/**
 * A replay thread. From dist/ it runs the worker's .js file. From the sources (tests, benchmarks) it
 * first registers tsx's loader in the new thread, then imports the .ts file: a worker inherits no module
 * loader from the thread that starts it.
 */
function startWorker(workerData: ReplayWorkerData): Worker {
  if (!WORKER_FILE.pathname.endsWith('.ts')) return new Worker(WORKER_FILE, { workerData });
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER_FILE.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

// Threads between replays, by workflows module: started once and warmed up by their first replay, they
// wait unreferenced (they never keep the process alive). A replay that fails ends its threads instead.
const idle = new Map<string, Worker[]>();

function takeWorker(workflows: string): Worker {
  const worker = idle.get(workflows)?.pop() ?? startWorker({ workflows });
  worker.ref();
  return worker;
}

function returnWorker(workflows: string, worker: Worker): void {
  worker.unref();
  const list = idle.get(workflows) ?? [];
  list.push(worker);
  idle.set(workflows, list);
}

/**
 * The replay of `replayLog`, its instances spread over `threads.count` worker threads: tasks are
 * independent, so each thread replays whole tasks (each task to one thread, dealt in turn as they
 * appear) and the calling thread only reads and deals. The result equals `replayLog`'s: the instances
 * in creation order, the differences in seq order (instances carry no `machineSnapshot`).
 * Entries after `asOf` (epoch ms) are left out.
 */
export async function replayInParallel(threads: ReplayThreads, entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>, asOf = Infinity): Promise<ReplayResult> {
  const workflows = threads.workflows.href;
  const workers = Array.from({ length: threads.count }, () => new ReplayThread(takeWorker(workflows), asOf));
  let parts: ReplayPart[] | undefined;
  try {
    const owner = new Map<string, ReplayThread>();
    let next = 0;
    for await (const entry of entries) {
      let worker = owner.get(entry.instanceId);
      if (worker === undefined) {
        worker = workers[next++ % workers.length]!;
        owner.set(entry.instanceId, worker);
      }
      await worker.add(entry);
    }
    parts = await Promise.all(workers.map((w) => w.finish()));
    return merge(parts);
  } finally {
    for (const w of workers) {
      const worker = w.release();
      if (parts !== undefined) returnWorker(workflows, worker);
      else await worker.terminate();
    }
  }
}

/** One worker seen from the reader: batches out, acknowledgements and the part back, its failure as a rejection. */
class ReplayThread {
  private batch: AuditEntry[] = [];
  private inFlight = 0;
  private waiting: (() => void) | undefined;
  private readonly done: Promise<ReplayPart>;
  private failure: Error | undefined;
  private readonly listeners: { message: (message: 'replayed' | ReplayPart) => void; error: (error: Error) => void; exit: (code: number) => void };

  constructor(
    private readonly worker: Worker,
    asOf: number,
  ) {
    let resolve!: (part: ReplayPart) => void;
    let reject!: (error: Error) => void;
    this.done = new Promise((yes, no) => ((resolve = yes), (reject = no)));
    // Observed here so that a failure before finish() is not an unhandled rejection; finish() rethrows it.
    this.done.catch(() => {});
    const fail = (error: Error) => {
      this.failure = error;
      this.waiting?.();
      reject(error);
    };
    this.listeners = {
      message: (message) => {
        if (message !== 'replayed') return resolve(message);
        this.inFlight -= 1;
        this.waiting?.();
      },
      error: fail,
      exit: (code) => fail(new Error(`replay worker stopped (exit code ${code}) before its part was sent`)),
    };
    worker.on('message', this.listeners.message).on('error', this.listeners.error).on('exit', this.listeners.exit);
    worker.postMessage({ asOf } satisfies ReplayMessage);
  }

  async add(entry: AuditEntry): Promise<void> {
    this.batch.push(entry);
    if (this.batch.length < BATCH) return;
    this.flush();
    while (this.inFlight >= IN_FLIGHT && this.failure === undefined) await new Promise<void>((resolve) => (this.waiting = resolve));
    if (this.failure !== undefined) throw this.failure;
  }

  finish(): Promise<ReplayPart> {
    this.flush();
    this.worker.postMessage(null satisfies ReplayMessage);
    return this.done;
  }

  /** The worker, without this replay's listeners. */
  release(): Worker {
    this.worker.off('message', this.listeners.message).off('error', this.listeners.error).off('exit', this.listeners.exit);
    return this.worker;
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    this.worker.postMessage(this.batch satisfies ReplayMessage);
    this.inFlight += 1;
    this.batch = [];
  }
}

/** The parts as one replay: instances by the seq that created them, differences by seq (the serial replay's orders). */
function merge(parts: ReplayPart[]): ReplayResult {
  const created = parts.flatMap((part) => part.instances.map((instance, i) => ({ instance, seq: part.createdAt[i]! })));
  created.sort((a, b) => a.seq - b.seq);
  const differences = parts.flatMap((part) => part.differences).sort((a, b) => a.seq! - b.seq!);
  return {
    instances: new Map(created.map(({ instance }) => [instance.instanceId, instance])),
    differences,
    entries: parts.reduce((sum, part) => sum + part.entries, 0),
  };
}
