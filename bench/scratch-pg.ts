import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore } from '../packages/engine/src/index.ts';
import { load } from './http.ts';
import { costed } from './postgres.ts';
import { startServer, stopProcess } from './support/processes.ts';
import { startedTasks } from './support/started-tasks.ts';

const base = process.env['DUBAN_TEST_PG_URL']!;
const schema = `bench_${Date.now().toString(36)}`;
const admin = await openStore(base);
await sql.raw(`CREATE SCHEMA ${schema}`).execute(admin.kysely);
const url = new URL(base);
url.searchParams.set('options', `-c search_path=${schema}`);
const db = url.toString();
const pairs = await startedTasks(db, 6);
const keyDir = mkdtempSync(join(tmpdir(), 'duban-bench-keys-'));
const server = await startServer(['--db', db, '--rate-limit', '0', '--clock', '2023-05-12T09:00:00+08:00', '--key-dir', keyDir], { LOG_LEVEL: 'warn' });
await new Promise((r) => setTimeout(r, 2000));
if (process.env['LOGALL']) { await sql.raw(`ALTER SYSTEM SET log_statement = 'all'`).execute(admin.kysely); await sql.raw('SELECT pg_reload_conf()').execute(admin.kysely); }
const r = await costed([server.child.pid!], async () => [await load(server.url, pairs, Number(process.env['SECS'] ?? 5), Number(process.env['CONNS'] ?? 32))]);
(r as any).sides = undefined;
if (process.env['LOGALL']) { await sql.raw(`ALTER SYSTEM SET log_statement = 'none'`).execute(admin.kysely); await sql.raw('SELECT pg_reload_conf()').execute(admin.kysely); }
console.log(JSON.stringify(r));
await stopProcess(server.child);
await admin.close();
