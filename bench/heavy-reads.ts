import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { openDuban } from '../packages/server/src/index.ts';
import { startServer, stopProcess } from './support/processes.ts';
import { startedTasks } from './support/started-tasks.ts';

export interface HeavyReadsSide {
  /** The other client's GET /api/tasks/:id latency while 8 replays run. */
  p50Ms: number;
  p99Ms: number;
  requestsPerSec: number;
  replaysAnswered: number;
  replaysRefused: number;
}

export interface HeavyReadsResult {
  entries: number;
  replayClients: number;
  quiet: HeavyReadsSide;
  uncapped: HeavyReadsSide;
  capped: HeavyReadsSide;
}

const REPLAY_CLIENTS = 8;

/** A log of about `entries` entries: the Karamay plan 6 times, started, then PROGRESS reports. Returns a task, a unit's and a reviewer's token. */
async function longLog(db: string, entries: number): Promise<{ taskId: string; unitToken: string; reviewerToken: string; entries: number }> {
  const pairs = await startedTasks(db, 6);
  const duban = await openDuban(db, { create: false });
  try {
    const tasks = await Promise.all(pairs.map(async (p) => ({ id: p.id, unit: ((await duban.engine.getInstance(p.id))!.snapshot.context as { leadUnits: string[] }).leadUnits[0]! })));
    let at = Date.parse('2023-05-12T01:00:00Z');
    for (let size = await duban.engine.auditSize(); size < entries; size += tasks.length) {
      at += 1000;
      await Promise.all(tasks.map((t) => duban.engine.send(t.id, { type: 'PROGRESS', payload: { summary: '按计划推进' } }, { role: 'unit', unit: t.unit }, new Date(at))));
    }
    const reviewer = await duban.tokens.create({ role: 'reviewer', unit: null, label: 'bench' }, new Date('2023-05-10T01:00:00Z'));
    return { taskId: pairs[0]!.id, unitToken: pairs[0]!.token, reviewerToken: reviewer.token, entries: await duban.engine.auditSize() };
  } finally {
    await duban.close();
  }
}

async function measure(url: string, log: { taskId: string; unitToken: string; reviewerToken: string }, replays: number, durationSec: number): Promise<HeavyReadsSide> {
  let running = true;
  let answered = 0;
  let refused = 0;
  const loops = Array.from({ length: replays }, async () => {
    while (running) {
      const response = await fetch(`${url}/api/replay`, { headers: { authorization: `Bearer ${log.reviewerToken}` } });
      await response.arrayBuffer();
      if (response.status === 200) answered += 1;
      else {
        refused += 1;
        await new Promise((resolve) => setTimeout(resolve, 1000 * Number(response.headers.get('retry-after') ?? 1)));
      }
    }
  });
  const other = await autocannon({ url: `${url}/api/tasks/${encodeURIComponent(log.taskId)}`, connections: 1, duration: durationSec, headers: { authorization: `Bearer ${log.unitToken}` } });
  running = false;
  await Promise.all(loops);
  return { p50Ms: other.latency.p50, p99Ms: other.latency.p99, requestsPerSec: Math.round(other.requests.average), replaysAnswered: answered, replaysRefused: refused };
}

/**
 * Another client's task reads while 8 clients replay a 20,000-entry log without pause: with the
 * heavy-read cap (`serve` default: 2 at once, 6 waiting) and without it (`--heavy-reads 0`), and
 * with no replays at all, in the same run on the same database.
 */
export async function heavyReadsBench(entries = 20_000, durationSec = 8): Promise<HeavyReadsResult> {
  const db = join(tmpdir(), 'duban-bench-heavy.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  for (const beside of ['.keys', '.checkpoints']) rmSync(db + beside, { recursive: true, force: true });
  const log = await longLog(db, entries);
  const run = async (extra: string[], replays: number) => {
    const server = await startServer(['--db', db, '--rate-limit', '0', '--clock', '2023-05-13T09:00:00+08:00', ...extra], { LOG_LEVEL: 'warn' });
    try {
      // The report read model reads the whole log as the server starts; let it finish first.
      await fetch(`${server.url}/api/tasks/${encodeURIComponent(log.taskId)}`, { headers: { authorization: `Bearer ${log.unitToken}` } });
      await new Promise((resolve) => setTimeout(resolve, 2000));
      return await measure(server.url, log, replays, durationSec);
    } finally {
      await stopProcess(server.child);
    }
  };
  const quiet = await run([], 0);
  const uncapped = await run(['--heavy-reads', '0'], REPLAY_CLIENTS);
  const capped = await run([], REPLAY_CLIENTS);
  return { entries: log.entries, replayClients: REPLAY_CLIENTS, quiet, uncapped, capped };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await heavyReadsBench(), null, 2));
