import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, openStore } from '../packages/engine/src/index.ts';
import { reformTaskV1 } from '../workflows/reform-task/src/index.ts';
import { loadEmmettSqlite } from './support/emmett.ts';
import { karamayInstances } from './support/karamay.ts';

export interface AppendResult {
  events: number;
  emmettPerSec: number;
  dubanSequentialPerSec: number;
  dubanConcurrentPerSec: number;
  ratio: number;
  /**
   * This process's CPU time (user + system) per event: emmett's, and duban's with 32 in flight. Steadier
   * than the rates on a loaded machine, where emmett waits on fsync and duban on the CPU.
   */
  emmettCpuUsPerEvent: number;
  dubanCpuUsPerEvent: number;
}

function cpuMicros(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

function freshFile(name: string): string {
  const file = join(tmpdir(), `duban-bench-${name}.db`);
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(file + suffix, { force: true });
  return file;
}

/**
 * emmett-sqlite appending one event per call with an expected version, on one long-lived connection
 * (its supported mode: its transactions cannot overlap on one connection), against duban transitions
 * (state + audit entry + timers in one transaction) — same file system, WAL + synchronous=FULL on both,
 * same count. duban runs twice: one at a time, and 32 in flight (what its server does under load).
 */
export async function appendBench(events = 3000, streams = 213): Promise<AppendResult> {
  const { appendToStream, createEventStoreSchema, sqliteConnection } = await loadEmmettSqlite();
  const emmettFile = freshFile('emmett');
  const connection = sqliteConnection({ fileName: emmettFile });
  await connection.command('PRAGMA journal_mode = WAL');
  await connection.command('PRAGMA synchronous = FULL');
  await createEventStoreSchema(connection);
  const versions = new Map<string, bigint>();
  const emmettCpu = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < events; i++) {
    const stream = `task-${i % streams}`;
    const expected = versions.get(stream) ?? 0n;
    const result = await appendToStream(connection, stream, 'task', [{ type: 'PROGRESS', data: { summary: `进展 ${i}`, percent: 50 } }], { expectedStreamVersion: expected });
    if (!result.success) throw new Error(`emmett append ${i} failed`);
    versions.set(stream, result.nextStreamPosition);
  }
  const emmettPerSec = events / ((performance.now() - t0) / 1000);
  const emmettCpuUsPerEvent = cpuMicros(emmettCpu) / events;
  connection.close();

  const run = async (concurrency: number) => {
    const engine = new Engine(await openStore(freshFile(`duban-${concurrency}`)), [reformTaskV1]);
    const instances = karamayInstances(Math.ceil(streams / 71)).slice(0, streams);
    await engine.create(instances, { role: 'admin', unit: null }, new Date('2023-05-10T00:00:00Z'));
    const leads = new Map(instances.map((i) => [i.id, { role: 'unit', unit: i.input.leadUnits[0]! }]));
    for (const instance of instances) await engine.send(instance.id, { type: 'START' }, leads.get(instance.id)!, new Date('2023-05-11T00:00:00Z'));
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < events; i = next++) {
        const id = instances[i % instances.length]!.id;
        await engine.send(id, { type: 'PROGRESS', payload: { summary: `进展 ${i}`, percent: 50 } }, leads.get(id)!, new Date('2023-05-12T00:00:00Z'));
      }
    };
    const cpu = process.cpuUsage();
    const start = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const rate = events / ((performance.now() - start) / 1000);
    const cpuUsPerEvent = cpuMicros(cpu) / events;
    await engine.close();
    return { rate, cpuUsPerEvent };
  };
  const { rate: dubanSequentialPerSec } = await run(1);
  const { rate: dubanConcurrentPerSec, cpuUsPerEvent: dubanCpuUsPerEvent } = await run(32);
  return { events, emmettPerSec: Math.round(emmettPerSec), dubanSequentialPerSec: Math.round(dubanSequentialPerSec), dubanConcurrentPerSec: Math.round(dubanConcurrentPerSec), ratio: dubanConcurrentPerSec / emmettPerSec, emmettCpuUsPerEvent: Math.round(emmettCpuUsPerEvent), dubanCpuUsPerEvent: Math.round(dubanCpuUsPerEvent) };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await appendBench());
