import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Actor, StoredSnapshot } from '../../packages/engine/src/index.ts';
import { GENESIS_HASH, openStore, sealEntry, start, step } from '../../packages/engine/src/index.ts';
import { reformTaskV1 } from '../../workflows/reform-task/src/index.ts';
import { karamayInstances } from './karamay.ts';
import { lifecycleScript } from './lifecycle-script.ts';

const GENERATOR_VERSION = 1;

/**
 * A SQLite database of `tasks` reform tasks and about `entries` audit entries, built through the
 * engine's pure core (every entry is one the machine accepted, every hash is real) and written in
 * bulk. Cached in the temp directory: building 100,000 tasks takes minutes.
 */
export async function scaleDatabase(tasks: number, entries: number, log: (line: string) => void): Promise<string> {
  const file = join(tmpdir(), `duban-bench-scale-v${GENERATOR_VERSION}-${tasks}-${entries}.db`);
  if (existsSync(file)) return file;
  const building = `${file}.building`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(building + suffix, { force: true });
  await (await openStore(building)).close();

  const db = new BetterSqlite3(building);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // building a fixture, not serving: durability is not the point here
  const insertInstance = db.prepare('INSERT INTO workflow_instance (id, workflow_id, workflow_version, state, snapshot, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insertTag = db.prepare('INSERT INTO instance_tag (instance_id, tag) VALUES (?, ?)');
  const insertTimer = db.prepare('INSERT INTO timer (instance_id, key, due_at, event) VALUES (?, ?, ?, ?)');
  const insertEntry = db.prepare('INSERT INTO audit_log (seq, instance_id, version, type, actor, payload, from_state, to_state, at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');

  const templates = karamayInstances(1);
  const perTask = Math.max(3, Math.round(entries / tasks));
  const admin: Actor = { role: 'admin', unit: null };
  let seq = 0;
  let prevHash = GENESIS_HASH;
  const began = performance.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let t = from; t < to; t++) {
      const template = templates[t % templates.length]!;
      const id = `scale-${String(Math.floor(t / templates.length)).padStart(5, '0')}.${String(template.input.number).padStart(3, '0')}`;
      const lead = template.input.leadUnits[0]!;
      let at = Date.parse('2023-05-10T01:00:00Z') + (t % 1000) * 1000;
      const created = start(reformTaskV1, id, { ...template.input, planId: 'scale' }, admin, at);
      if (!created.ok) throw created.error;
      const drafts = [created.step.draft];
      let current = { instanceId: id, version: 1, snapshot: created.step.snapshot as StoredSnapshot, machineSnapshot: created.step.machineSnapshot };
      // Events for this task: a whole life for most, an unfinished one for every fourth.
      const script = lifecycleScript(lead, t, perTask - 6).slice(0, t % 4 === 0 ? perTask - 4 : undefined);
      for (const event of script) {
        at += 3_600_000;
        const result = step(reformTaskV1, current, event.type, event.payload, event.actor, at);
        if (!result.ok) throw result.error;
        drafts.push(result.step.draft);
        current = { instanceId: id, version: current.version + 1, snapshot: result.step.snapshot, machineSnapshot: result.step.machineSnapshot };
      }
      for (const draft of drafts) {
        const entry = sealEntry(draft, ++seq, prevHash);
        prevHash = entry.hash;
        insertEntry.run(entry.seq, entry.instanceId, entry.version, entry.type, JSON.stringify(entry.actor), JSON.stringify(entry.payload), entry.from, entry.to, entry.at, entry.prevHash, entry.hash);
      }
      const last = drafts[drafts.length - 1]!;
      insertInstance.run(id, reformTaskV1.id, reformTaskV1.version, current.snapshot.value, JSON.stringify(current.snapshot), current.version, drafts[0]!.at, last.at);
      for (const tag of new Set(reformTaskV1.tags(current.snapshot as never))) insertTag.run(id, tag);
      for (const timer of reformTaskV1.timers(current.snapshot as never)) insertTimer.run(id, timer.key, timer.dueAt, JSON.stringify(timer.event));
    }
  });
  for (let from = 0; from < tasks; from += 1000) {
    batch(from, Math.min(tasks, from + 1000));
    if (from % 10_000 === 0) log(`  scale fixture: ${from}/${tasks} tasks, ${seq} entries, ${((performance.now() - began) / 1000).toFixed(0)} s`);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  renameSync(building, file);
  for (const suffix of ['-wal', '-shm']) rmSync(building + suffix, { force: true });
  log(`  scale fixture: ${tasks} tasks, ${seq} entries built in ${((performance.now() - began) / 1000).toFixed(0)} s`);
  return file;
}
