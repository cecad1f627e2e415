import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@duban/engine';
import { importPlan, loadPlanFile, openDuban } from '../../packages/server/src/index.ts';
import { samplePlanJson, serve } from '../http/support/duban-process.ts';

const KILLS = 20;
const WORKERS = 12;

interface Ack {
  readonly key: string;
  readonly seq: number;
  readonly hash: string;
}

/** Reads the whole log and the integrity of the file, with the engine's own checks. */
async function inspect(db: string) {
  const raw = new BetterSqlite3(db);
  const integrity = raw.pragma('integrity_check', { simple: true });
  raw.close();
  const duban = await openDuban(db, { create: false });
  const entries: AuditEntry[] = [];
  for await (const entry of duban.engine.entries()) entries.push(entry);
  const chain = await duban.engine.verify();
  const replay = await duban.engine.replay();
  await duban.close();
  return { integrity, entries, chain, replay };
}

describe('kill -9 under load', () => {
  let dir: string;
  let db: string;
  const tokens = new Map<number, { token: string; unit: string }>();
  const taskIds: string[] = [];

  beforeAll(async () => {
    // Given: the Karamay plan imported, every task started, a token for each lead unit.
    dir = mkdtempSync(join(tmpdir(), 'duban-crash-'));
    db = join(dir, 'crash.db');
    const duban = await openDuban(db, { create: true });
    const { plan, planId } = await loadPlanFile(samplePlanJson);
    await importPlan(duban.engine, plan, planId, new Date('2023-05-10T01:00:00Z'), { units: duban.units });
    const byUnit = new Map<string, string>();
    for (const task of plan.tasks) {
      const unit = task.leadUnits[0]!;
      if (!byUnit.has(unit)) byUnit.set(unit, (await duban.tokens.create({ role: 'unit', unit }, new Date('2023-05-10T01:00:00Z'))).token);
      const id = `${planId}.${String(task.number).padStart(3, '0')}`;
      await duban.engine.send(id, { type: 'START' }, { role: 'unit', unit }, new Date('2023-05-11T01:00:00Z'));
      tokens.set(taskIds.length, { token: byUnit.get(unit)!, unit });
      taskIds.push(id);
    }
    await duban.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`given a server under load, when it is killed with SIGKILL ${KILLS} times, then no acknowledged transition is lost or duplicated and the log stays verifiable`, async () => {
    const acks: Ack[] = [];
    const unanswered: { key: string; task: number }[] = [];
    let counter = 0;

    const post = (url: string, task: number, key: string) =>
      fetch(`${url}/api/tasks/${taskIds[task]}/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${tokens.get(task)!.token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
        // The key is in the summary, so the log tells exactly how often each request landed.
        body: JSON.stringify({ type: 'PROGRESS', summary: `crash-test ${key}` }),
      });

    for (let round = 0; round < KILLS; round++) {
      const server = await serve(db, ['--rate-limit', '0', '--clock', '2023-05-12T09:00:00+08:00', '--timer-interval', '86400']);

      // When: requests already answered or never answered are retried with their keys...
      for (const { key, task } of unanswered.splice(0)) {
        const response = await post(server.url, task, key);
        expect(response.status).toBe(200);
        const { entry } = (await response.json()) as { entry: { seq: number; hash: string } };
        acks.push({ key, seq: entry.seq, hash: entry.hash });
      }
      const again = acks[round % Math.max(1, acks.length)];
      if (again !== undefined) {
        const task = Number(again.key.split('-')[2]);
        const response = await post(server.url, task, again.key);
        expect(response.status).toBe(200);
        expect(((await response.json()) as { entry: { seq: number } }).entry.seq).toBe(again.seq);
      }

      // ...and new ones are in flight when the server is killed at a random moment.
      let killed = false;
      const worker = async () => {
        while (!killed) {
          const n = counter++;
          const task = n % taskIds.length;
          const key = `k-${n}-${task}`;
          try {
            const response = await post(server.url, task, key);
            if (response.status !== 200) throw new Error(`status ${response.status}: ${await response.text()}`);
            const { entry } = (await response.json()) as { entry: { seq: number; hash: string } };
            acks.push({ key, seq: entry.seq, hash: entry.hash });
          } catch (error) {
            if (!killed) throw error;
            unanswered.push({ key, task });
          }
        }
      };
      const load = Promise.all(Array.from({ length: WORKERS }, worker));
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 600));
      killed = true;
      server.child.kill('SIGKILL');
      await load;
      await new Promise((resolve) => server.child.exitCode !== null || server.child.signalCode !== null ? resolve(undefined) : server.child.once('exit', resolve));
    }

    // Then: every acknowledged transition is in the log exactly once, where its answer said.
    const { integrity, entries, chain, replay } = await inspect(db);
    expect(integrity).toBe('ok');
    expect(chain.ok).toBe(true);
    expect(replay.differences).toEqual([]);
    const landed = new Map<string, AuditEntry[]>();
    for (const entry of entries) {
      const summary = (entry.payload as { summary?: string }).summary;
      if (summary?.startsWith('crash-test ')) landed.set(summary.slice(11), [...(landed.get(summary.slice(11)) ?? []), entry]);
    }
    expect(acks.length).toBeGreaterThan(KILLS * 5);
    for (const ack of acks) {
      const copies = landed.get(ack.key) ?? [];
      expect(copies.map((e) => [e.seq, e.hash]), ack.key).toEqual([[ack.seq, ack.hash]]);
    }
    for (const [key, copies] of landed) expect(copies, key).toHaveLength(1);
    // Requests never answered before the last kill may or may not have landed, but only once.
    expect(unanswered.every(({ key }) => (landed.get(key)?.length ?? 0) <= 1)).toBe(true);
  }, 240_000);
});
