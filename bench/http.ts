import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
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
  /** The server process's CPU time (user + system, from /proc) over the run, per request answered: what the machine's load does not change. */
  cpuUsPerRequest: number | null;
}

export interface HttpResult {
  connections: number;
  durationSec: number;
  bareExpress: HttpSide;
  duban: HttpSide;
  ratio: number;
  /** duban again, signing checkpoints as before (every 1000 entries or 10 minutes), in the same run. */
  dubanOldCheckpoints: HttpSide;
  /** duban's req/s with checkpoints after each commit (at most every 2 s) over those with the old policy, two alternating rounds each. */
  checkpointPolicyRatio: number;
  checkpointPolicyRounds: { newPolicy: number[]; oldPolicy: number[] };
}

const connections = 32;

/** The CPU time (user + system) process `pid` has used so far, in µs (Linux /proc, in clock ticks of 10 ms). */
export function cpuUs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** Loads the server at `url` with PROGRESS over `pairs`; its process `pid`, when given, has its CPU time read over the run. */
export async function load(url: string, pairs: LoadTarget[], durationSec: number, conns = connections, pid?: number): Promise<HttpSide> {
  let next = 0;
  const cpuBefore = pid === undefined ? 0 : cpuUs(pid);
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
    cpuUsPerRequest: pid === undefined ? null : Math.round((cpuUs(pid) - cpuBefore) / Math.max(1, result.requests.total)),
  };
}

/**
 * PROGRESS transitions over loopback at 32 connections against duban's real server (SQLite file,
 * synchronous=FULL, each response after its commit, rate limit off, request logs at warn), and
 * against a bare Express 5 JSON POST endpoint in the same run; and duban once more with the old
 * checkpoint policy (every 1000 entries or 10 minutes), to price signing after each commit.
 */
export async function httpBench(durationSec = 10, copies = 6): Promise<HttpResult> {
  const db = join(tmpdir(), 'duban-bench-http.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });

  const pairs = await startedTasks(db, copies);

  const bare = await startBareExpress();
  const bareSide = await load(`http://127.0.0.1:${bare.match[1]}`, pairs, durationSec, connections, bare.child.pid);
  await stopProcess(bare.child);

  // Each policy on its own copy of the started database, so neither pays for the log the other wrote
  // (the server reads the whole log into its report model as it starts); rounds alternate over the noise.
  const copyOf = (name: string) => {
    const file = join(tmpdir(), `duban-bench-http-${name}.db`);
    for (const beside of ['.keys', '.checkpoints']) rmSync(file + beside, { recursive: true, force: true });
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(file + suffix, { force: true });
      if (existsSync(db + suffix)) copyFileSync(db + suffix, file + suffix);
    }
    return file;
  };
  const run = async (file: string, extra: string[]) => {
    const server = await startServer(['--db', file, '--rate-limit', '0', '--clock', '2023-05-12T09:00:00+08:00', ...extra], { LOG_LEVEL: 'info' });
    const side = await load(server.url, pairs, durationSec, connections, server.child.pid);
    await stopProcess(server.child);
    return side;
  };
  const OLD_POLICY = ['--checkpoint-seconds', '0', '--checkpoint-every', '1000', '--checkpoint-minutes', '10'];
  const dubanSide = await run(copyOf('new'), []);
  const oldSide = await run(copyOf('old'), OLD_POLICY);
  const newAgain = await run(copyOf('new'), []);
  const oldAgain = await run(copyOf('old'), OLD_POLICY);
  const perSec = (a: HttpSide, b: HttpSide) => (a.requestsPerSec + b.requestsPerSec) / 2;

  return {
    connections,
    durationSec,
    bareExpress: bareSide,
    duban: dubanSide,
    ratio: dubanSide.requestsPerSec / bareSide.requestsPerSec,
    dubanOldCheckpoints: oldSide,
    checkpointPolicyRatio: perSec(dubanSide, newAgain) / perSec(oldSide, oldAgain),
    checkpointPolicyRounds: { newPolicy: [dubanSide.requestsPerSec, newAgain.requestsPerSec], oldPolicy: [oldSide.requestsPerSec, oldAgain.requestsPerSec] },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await httpBench(), null, 2));
