import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { appDeps, createApp, createLogger, openDuban, SimulatedClock } from '../packages/server/src/index.ts';
import { scaleDatabase } from './support/scale-database.ts';

export interface WorkbenchResult {
  tasks: number;
  /** The first search indexes every task the fixture wrote around the engine (once per database). */
  firstSearchSec: number;
  searchP95Ms: number;
  shortSearchP95Ms: number;
  inboxP95Ms: number;
  /** Baseline, same server, same database: a page of the plain list (no keywords). */
  plainListP95Ms: number;
  /** Baseline, same database file: an indexed lookup of 100 ids by primary key, straight through SQLite. */
  indexedQueryP95Ms: number;
  /** The FTS5 trigram match alone, every match, straight through SQLite. */
  ftsQueryP95Ms: number;
  /** The same match as a search page reads it: the first 101 matches in rowid order (plan order, migration 0016), straight through SQLite. */
  ftsPageQueryP95Ms: number;
  /** A search page by number descending (the reverse walk). */
  searchDescP95Ms: number;
  /** The second page of a search (through its cursor). */
  searchNextPageP95Ms: number;
  bulkUrgeTasks: number;
  bulkUrgeMs: number;
  bulkUrgeOk: number;
}

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]! * 100) / 100;
}

function timedSync(count: number, run: (i: number) => void): number {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    run(i);
    samples.push(performance.now() - t0);
  }
  return p95(samples);
}

/**
 * The office's workbench at scale (a copy of the scale fixture, so its cache stays untouched): keyword
 * search, the inbox counts and a bulk urge of 1,000 tasks over HTTP, against a plain list page on the
 * same server and an indexed SQLite query on the same file.
 */
export async function workbenchBench(tasks = 100_000, entries = 2_000_000, log: (line: string) => void = console.error): Promise<WorkbenchResult> {
  const fixture = await scaleDatabase(tasks, entries, log);
  const db = join(tmpdir(), `duban-bench-workbench-${process.pid}.db`);
  copyFileSync(fixture, db);
  if (existsSync(`${fixture}-wal`)) copyFileSync(`${fixture}-wal`, `${db}-wal`);
  const clock = new SimulatedClock('2023-06-01T09:00:00+08:00');
  const duban = await openDuban(db, { create: false });
  const app = createApp(appDeps(duban, { clock, logger: createLogger({ level: 'silent' }), auditKey: { origin: 'bench', publicKey: generateKeyPairSync('ed25519').publicKey } }));
  const server = app.listen(0, '127.0.0.1');
  // The SQLite baselines below run synchronously for a while; a keep-alive socket the server closed
  // meanwhile would reset the next request (undici reuses it), so idle sockets stay open for the run.
  server.keepAliveTimeout = 600_000;
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const office = (await duban.tokens.create({ role: 'office', label: 'bench' }, clock.now())).token;
  const get = async (path: string) => {
    const response = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${office}` } });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${body.slice(0, 200)}`);
    return body;
  };
  const timed = async (count: number, path: (i: number) => string) => {
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      await get(path(i));
      samples.push(performance.now() - t0);
    }
    return p95(samples);
  };
  try {
    await get('/api/reports/summary');
    const s0 = performance.now();
    await get(`/api/tasks?q=${encodeURIComponent('不动产')}&limit=1`);
    const firstSearchSec = Math.round((performance.now() - s0) / 100) / 10;
    const words = ['不动产', '营商环境', '政务服务', '审批', '行政许可'].map(encodeURIComponent);
    const searchP95Ms = await timed(100, (i) => `/api/tasks?q=${words[i % words.length]}&limit=100`);
    const searchDescP95Ms = await timed(50, (i) => `/api/tasks?q=${words[i % words.length]}&order=desc&limit=100`);
    const cursors = await Promise.all(words.map(async (word) => (JSON.parse(await get(`/api/tasks?q=${word}&limit=100`)) as { nextCursor: string }).nextCursor));
    const searchNextPageP95Ms = await timed(50, (i) => `/api/tasks?q=${words[i % words.length]}&limit=100&cursor=${cursors[i % words.length]}`);
    const shortSearchP95Ms = await timed(30, (i) => `/api/tasks?q=${encodeURIComponent(['医保', '局'][i % 2]!)}&limit=100`);
    const inboxP95Ms = await timed(100, () => '/api/inbox?limit=20');
    const plainListP95Ms = await timed(100, () => '/api/tasks?limit=100');

    const sqlite = new BetterSqlite3(db, { readonly: true });
    const ids = (sqlite.prepare('SELECT id FROM workflow_instance ORDER BY id LIMIT 100000').pluck().all() as string[]).filter((_, i) => i % 97 === 0);
    const byIds = sqlite.prepare(`SELECT id, version FROM workflow_instance WHERE id IN (${Array.from({ length: 100 }, () => '?').join(',')})`);
    const indexedQueryP95Ms = timedSync(200, (i) => byIds.all(...Array.from({ length: 100 }, (_, k) => ids[(i + k) % ids.length])));
    const fts = sqlite.prepare('SELECT s.task_id FROM task_search_fts f JOIN task_search s ON s.rowid = f.rowid WHERE task_search_fts MATCH ?');
    const ftsQueryP95Ms = timedSync(200, (i) => fts.all(`"${['不动产', '营商环境', '政务服务', '审批', '行政许可'][i % 5]}"`));
    const ftsPage = sqlite.prepare('SELECT s.task_id FROM task_search_fts f JOIN task_search s ON s.rowid = f.rowid WHERE task_search_fts MATCH ? ORDER BY f.rowid LIMIT 101');
    const ftsPageQueryP95Ms = timedSync(200, (i) => ftsPage.all(`"${['不动产', '营商环境', '政务服务', '审批', '行政许可'][i % 5]}"`));
    sqlite.close();

    const urgeable = (JSON.parse(await get('/api/tasks?state=in_progress&limit=1000')) as { items: { id: string }[] }).items.map((item) => item.id);
    const b0 = performance.now();
    const response = await fetch(`${url}/api/tasks/bulk-events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${office}`, 'Content-Type': 'application/json', 'Idempotency-Key': 'bench-bulk-urge' },
      body: JSON.stringify({ ids: urgeable, type: 'URGE', message: '请于本周内报送进展' }),
    });
    const { results } = (await response.json()) as { results: { status: number }[] };
    const bulkUrgeMs = Math.round(performance.now() - b0);
    return {
      tasks: urgeable.length === 0 ? 0 : tasks,
      firstSearchSec,
      searchP95Ms,
      shortSearchP95Ms,
      inboxP95Ms,
      plainListP95Ms,
      indexedQueryP95Ms,
      ftsQueryP95Ms,
      ftsPageQueryP95Ms,
      searchDescP95Ms,
      searchNextPageP95Ms,
      bulkUrgeTasks: urgeable.length,
      bulkUrgeMs,
      bulkUrgeOk: results.filter((result) => result.status === 200).length,
    };
  } finally {
    server.closeAllConnections();
    server.close();
    await duban.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await workbenchBench(Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 2_000_000)), null, 2));
