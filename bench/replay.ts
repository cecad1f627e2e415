import { initialTransition, transition } from 'xstate';
import type { AnyMachineSnapshot } from 'xstate';
import type { AuditEntry } from '../packages/engine/src/index.ts';
import { availableCores, Engine, openStore, replayInParallel, replayLog } from '../packages/engine/src/index.ts';
import { workflowsModule } from '../packages/server/src/index.ts';
import { reformTaskV1 } from '../workflows/reform-task/src/index.ts';
import { karamayInstances } from './support/karamay.ts';
import { lifecycleScript } from './support/lifecycle-script.ts';

export interface ReplayResult {
  entries: number;
  rawTransitionsPerSec: number;
  replayInMemoryPerSec: number;
  replayFromDatabasePerSec: number;
  /** Reading the log alone (the entries parsed, nothing replayed): the ceiling of any replay from the database on its reading thread. */
  readFromDatabasePerSec: number;
  /** Worker threads of the parallel replays (the cores available). */
  workers: number;
  /** The tasks replayed on `workers` threads, the entries in memory (replayInParallel). */
  parallelInMemoryPerSec: number;
  /** `engine.replay({ workers })`: read from the database, replayed on `workers` threads, compared with the stored states. */
  parallelFromDatabasePerSec: number;
  ratioInMemory: number;
  ratioFromDatabase: number;
  ratioParallelInMemory: number;
  ratioParallelFromDatabase: number;
}

/** Replay the whole log (hashes checked) against raw XState transition() over the same events. */
export async function replayBench(copies = 30, rounds = 5): Promise<ReplayResult> {
  const engine = new Engine(await openStore(':memory:'), [reformTaskV1], { workflowsModule });
  const instances = karamayInstances(copies);
  let at = Date.parse('2023-05-11T00:00:00Z');
  await engine.create(instances, { role: 'admin', unit: null }, new Date(at));
  const scripts = instances.map((instance, i) => ({ id: instance.id, events: lifecycleScript(instance.input.leadUnits[0]!, i, 2 + (i % 4)) }));
  for (let step = 0; scripts.some((s) => s.events.length > step); step++) {
    at += 60_000;
    await Promise.all(scripts.filter((s) => s.events[step] !== undefined).map((s) => engine.send(s.id, s.events[step]!, s.events[step]!.actor, new Date(at))));
  }
  const entries: AuditEntry[] = [];
  for await (const entry of engine.entries()) entries.push(entry);

  // Baseline: the same machine, the same events, raw transition() on snapshots held in memory.
  const machine = reformTaskV1.machine;
  const raw = () => {
    const snapshots = new Map<string, AnyMachineSnapshot>();
    for (const entry of entries) {
      if (entry.type === 'CREATE') {
        snapshots.set(entry.instanceId, initialTransition(machine, (entry.payload as { input: unknown }).input)[0]);
      } else {
        const event = { type: entry.type, payload: entry.payload, actor: entry.actor, at: Date.parse(entry.at) };
        snapshots.set(entry.instanceId, transition(machine, snapshots.get(entry.instanceId)!, event as never)[0]);
      }
    }
    return snapshots.size;
  };
  const inMemory = async () => (await replayLog(engine.registry, entries)).instances.size;
  const fromDatabase = async () => (await engine.replay()).instances.length;
  const workers = availableCores();
  const parallelInMemory = async () => (await replayInParallel({ count: workers, workflows: workflowsModule }, entries)).instances.size;
  const parallelFromDatabase = async () => (await engine.replay(undefined, { workers })).instances.length;
  const readAlone = async () => {
    let n = 0;
    for await (const _entry of engine.entries()) n += 1;
    return n;
  };

  const rate = async (f: () => unknown) => {
    await f();
    const t0 = performance.now();
    for (let i = 0; i < rounds; i++) await f();
    return (entries.length * rounds) / ((performance.now() - t0) / 1000);
  };
  const rawRate = await rate(raw);
  const memRate = await rate(inMemory);
  const dbRate = await rate(fromDatabase);
  // Threads are started by the warm-up round and kept (as between replays in one process): the rounds measure replay, not start-up.
  const parallelMemRate = await rate(parallelInMemory);
  const parallelDbRate = await rate(parallelFromDatabase);
  const readRate = await rate(readAlone);
  const rawRate2 = await rate(raw);
  const baseline = (rawRate + rawRate2) / 2;
  await engine.close();
  return {
    entries: entries.length,
    rawTransitionsPerSec: Math.round(baseline),
    replayInMemoryPerSec: Math.round(memRate),
    replayFromDatabasePerSec: Math.round(dbRate),
    readFromDatabasePerSec: Math.round(readRate),
    workers,
    parallelInMemoryPerSec: Math.round(parallelMemRate),
    parallelFromDatabasePerSec: Math.round(parallelDbRate),
    ratioInMemory: memRate / baseline,
    ratioFromDatabase: dbRate / baseline,
    ratioParallelInMemory: parallelMemRate / baseline,
    ratioParallelFromDatabase: parallelDbRate / baseline,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await replayBench());
