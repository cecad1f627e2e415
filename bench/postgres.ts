import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { openStore } from '../packages/engine/src/index.ts';
import type { HttpSide } from './http.ts';
import { load } from './http.ts';
import { startServer, stopProcess } from './support/processes.ts';
import type { LoadTarget } from './support/started-tasks.ts';
import { startedTasks } from './support/started-tasks.ts';

/** A load's answers, with the CPU time the servers and the PostgreSQL cluster spent on each answer. */
export interface CostedSide {
  requestsPerSec: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  /** The duban server processes' CPU (user + system) per answer, µs. */
  serverCpuUs: number;
  /** The PostgreSQL cluster's CPU (postmaster, backends, WAL writer...) per answer, µs; null when its pid is not known. */
  postgresCpuUs: number | null;
  sides: HttpSide[];
}

export interface PostgresResult {
  /** PROGRESS over HTTP, 32 connections: on PostgreSQL, one server and two; on a SQLite file, one server (the baseline). */
  writes: { sqlite: CostedSide; oneServer: CostedSide; twoServers: CostedSide; ratioToSqlite: number };
  /** GET /api/tasks/:id, 32 connections, the same way. */
  reads: { sqlite: CostedSide; oneServer: CostedSide; twoServers: CostedSide; twoOverOne: number };
  /** The 1-minute load average before and after (the machine is shared). */
  load: [number, number];
}

const ticksToUs = (ticks: number) => (ticks * 1_000_000) / 100;

/** user + system CPU of a process so far, in clock ticks; with its reaped children's when `children`. */
function cpuTicks(pid: number, children = false): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
  } catch {
    return 0;
  }
}

/** The CPU ticks of the cluster started by .ci/postgres.sh: its postmaster, every live child, and those already gone. */
function clusterTicks(): number | null {
  const dir = process.env['DUBAN_PG_DIR'];
  if (dir === undefined) return null;
  const postmaster = Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  let ticks = cpuTicks(postmaster, true);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.split(') ')[1]!.split(' ')[1]) === postmaster) ticks += cpuTicks(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return ticks;
}

/** Runs `loads` at once and prices each answer in CPU of the servers `pids` and of the cluster. */
export async function costed(pids: number[], loads: () => Promise<HttpSide[]>): Promise<CostedSide> {
  const serverBefore = pids.reduce((sum, pid) => sum + cpuTicks(pid), 0);
  const clusterBefore = clusterTicks();
  const sides = await loads();
  const serverTicks = pids.reduce((sum, pid) => sum + cpuTicks(pid), 0) - serverBefore;
  const clusterAfter = clusterTicks();
  const requests = sides.reduce((sum, s) => sum + s.requests, 0);
  const per = (ticks: number) => Math.round(ticksToUs(ticks) / Math.max(requests, 1));
  return {
    requestsPerSec: sides.reduce((sum, s) => sum + s.requestsPerSec, 0),
    p99Ms: Math.max(...sides.map((s) => s.p99Ms)),
    requests,
    non2xx: sides.reduce((sum, s) => sum + s.non2xx, 0),
    serverCpuUs: per(serverTicks),
    postgresCpuUs: clusterBefore === null || clusterAfter === null ? null : per(clusterAfter - clusterBefore),
    sides,
  };
}

/** GET /api/tasks/:id over `pairs`, each with its lead unit's token. */
export async function reads(url: string, pairs: LoadTarget[], durationSec: number, connections: number): Promise<HttpSide> {
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    duration: durationSec,
    requests: [
      {
        method: 'GET',
        setupRequest: (request) => {
          const { id, token } = pairs[next++ % pairs.length]!;
          return { ...request, path: `/api/tasks/${encodeURIComponent(id)}`, headers: { authorization: `Bearer ${token}` } };
        },
      },
    ],
  });
  return { requestsPerSec: Math.round(result.requests.average), p50Ms: result.latency.p50, p99Ms: result.latency.p99, requests: result.requests.total, non2xx: result.non2xx, errors: result.errors, cpuUsPerRequest: null };
}

/**
 * On PostgreSQL, 32 connections: PROGRESS transitions over HTTP to one server, then to two servers on
 * the same database with the load split between them; then GET /api/tasks/:id the same way; and both
 * loads on one server over a SQLite file in the same run, the baseline. Each with the CPU the servers
 * and the cluster spent per answer. Needs a PostgreSQL URL: run under .ci/postgres.sh (which also tells
 * where the cluster's processes are, for their CPU).
 */
export async function postgresBench(baseUrl: string, durationSec = 10, copies = 6): Promise<PostgresResult> {
  const loadBefore = loadavg()[0]!;
  const schema = `bench_${Date.now().toString(36)}`;
  const admin = await openStore(baseUrl);
  await sql.raw(`CREATE SCHEMA ${schema}`).execute(admin.kysely);
  await admin.close();
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const db = url.toString();

  const sqliteFile = join(mkdtempSync(join(tmpdir(), 'duban-bench-pg-sqlite-')), 'duban.db');
  const sqlitePairs = await startedTasks(sqliteFile, copies);
  const onSqlite = await startServer(['--db', sqliteFile, '--rate-limit', '0', '--clock', '2023-05-12T09:00:00+08:00'], { LOG_LEVEL: 'warn' });
  const sqlite = {
    writes: await costed([onSqlite.child.pid!], async () => [await load(onSqlite.url, sqlitePairs, durationSec)]),
    reads: await costed([onSqlite.child.pid!], async () => [await reads(onSqlite.url, sqlitePairs, durationSec, 32)]),
  };
  await stopProcess(onSqlite.child);
  rmSync(join(sqliteFile, '..'), { recursive: true, force: true });

  const pairs = await startedTasks(db, copies);
  const keyDir = mkdtempSync(join(tmpdir(), 'duban-bench-keys-'));
  const serve = () => startServer(['--db', db, '--rate-limit', '0', '--clock', '2023-05-12T09:00:00+08:00', '--key-dir', keyDir], { LOG_LEVEL: 'warn' });
  const half = Math.ceil(pairs.length / 2);

  const first = await serve();
  const second = await serve();
  const pids = [first.child.pid!, second.child.pid!];
  const writes = {
    sqlite: sqlite.writes,
    oneServer: await costed(pids.slice(0, 1), async () => [await load(first.url, pairs, durationSec)]),
    twoServers: await costed(pids, () => Promise.all([load(first.url, pairs.slice(0, half), durationSec, 16), load(second.url, pairs.slice(half), durationSec, 16)])),
  };
  const readSides = {
    sqlite: sqlite.reads,
    oneServer: await costed(pids.slice(0, 1), async () => [await reads(first.url, pairs, durationSec, 32)]),
    twoServers: await costed(pids, () => Promise.all([reads(first.url, pairs.slice(0, half), durationSec, 16), reads(second.url, pairs.slice(half), durationSec, 16)])),
  };
  await Promise.all([stopProcess(first.child), stopProcess(second.child)]);
  return {
    writes: { ...writes, ratioToSqlite: Math.max(writes.oneServer.requestsPerSec, writes.twoServers.requestsPerSec) / writes.sqlite.requestsPerSec },
    reads: { ...readSides, twoOverOne: readSides.twoServers.requestsPerSec / readSides.oneServer.requestsPerSec },
    load: [loadBefore, loadavg()[0]!] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const base = process.env['DUBAN_TEST_PG_URL'];
  if (base === undefined) throw new Error('set DUBAN_TEST_PG_URL, e.g. run: .ci/postgres.sh npx tsx bench/postgres.ts');
  console.log(JSON.stringify(await postgresBench(base), null, 2));
}
