import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore } from '../packages/engine/src/index.ts';
import type { HttpSide } from './http.ts';
import { load } from './http.ts';
import { startServer, stopProcess } from './support/processes.ts';
import { startedTasks } from './support/started-tasks.ts';

export interface PostgresResult {
  oneServer: HttpSide;
  twoServers: { requestsPerSec: number; sides: HttpSide[] };
}

/**
 * PROGRESS transitions over HTTP at 32 connections on PostgreSQL: one server, then two servers on the
 * same database with the load split between them. Needs a PostgreSQL URL: run under .ci/postgres.sh.
 */
export async function postgresBench(baseUrl: string, durationSec = 10, copies = 6): Promise<PostgresResult> {
  const schema = `bench_${Date.now().toString(36)}`;
  const admin = await openStore(baseUrl);
  await sql.raw(`CREATE SCHEMA ${schema}`).execute(admin.kysely);
  await admin.close();
  const url = new URL(baseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const db = url.toString();

  const pairs = await startedTasks(db, copies);
  const keyDir = mkdtempSync(join(tmpdir(), 'duban-bench-keys-'));
  const serve = () => startServer(['--db', db, '--rate-limit', '0', '--clock', '2023-05-12T09:00:00+08:00', '--key-dir', keyDir], { LOG_LEVEL: 'warn' });

  const first = await serve();
  const oneServer = await load(first.url, pairs, durationSec);
  const second = await serve();
  const half = Math.ceil(pairs.length / 2);
  const sides = await Promise.all([load(first.url, pairs.slice(0, half), durationSec, 16), load(second.url, pairs.slice(half), durationSec, 16)]);
  await Promise.all([stopProcess(first.child), stopProcess(second.child)]);
  return { oneServer, twoServers: { requestsPerSec: sides.reduce((sum, s) => sum + s.requestsPerSec, 0), sides } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const base = process.env['DUBAN_TEST_PG_URL'];
  if (base === undefined) throw new Error('set DUBAN_TEST_PG_URL, e.g. run: .ci/postgres.sh npx tsx bench/postgres.ts');
  console.log(JSON.stringify(await postgresBench(base), null, 2));
}
