import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startBareExpress, startServer, stopProcess } from './support/processes.ts';
import type { LoadTarget } from './support/started-tasks.ts';
import { startedTasks } from './support/started-tasks.ts';

export interface HttpSide {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
}

export interface HttpResult {
  connections: number;
  durationSec: number;
  bareExpress: HttpSide;
  duban: HttpSide;
  ratio: number;
}

const connections = 32;

export async function load(url: string, pairs: LoadTarget[], durationSec: number, conns = connections): Promise<HttpSide> {
  let next = 0;
  const result = await autocannon({
    url,
    connections: conns,
    duration: durationSec,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const { id, token } = pairs[next++ % pairs.length]!;
          return {
            ...request,
            path: `/api/tasks/${encodeURIComponent(id)}/events`,
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ type: 'PROGRESS', summary: `第${next}次进展：按计划推进`, percent: 50 }),
          };
        },
      },
    ],
  });
  return {
    requestsPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/**
 * PROGRESS transitions over loopback at 32 connections against duban's real server (SQLite file,
 * synchronous=FULL, each response after its commit, rate limit off, request logs at warn), and
 * against a bare Express 5 JSON POST endpoint in the same run.
 */
export async function httpBench(durationSec = 10, copies = 6): Promise<HttpResult> {
  const db = join(tmpdir(), 'duban-bench-http.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });

  const pairs = await startedTasks(db, copies);

  const bare = await startBareExpress();
  const bareSide = await load(`http://127.0.0.1:${bare.match[1]}`, pairs, durationSec);
  await stopProcess(bare.child);

  const server = await startServer(['--db', db, '--rate-limit', '0', '--clock', '2023-05-12T09:00:00+08:00'], { LOG_LEVEL: 'info' });
  const dubanSide = await load(server.url, pairs, durationSec);
  await stopProcess(server.child);

  return { connections, durationSec, bareExpress: bareSide, duban: dubanSide, ratio: dubanSide.requestsPerSec / bareSide.requestsPerSec };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await httpBench(), null, 2));
