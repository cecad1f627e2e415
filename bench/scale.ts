import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import type { Engine, JsonObject } from '../packages/engine/src/index.ts';
import { canonicalJson } from '../packages/engine/src/index.ts';
import { openDuban } from '../packages/server/src/index.ts';
import { scaleDatabase } from './support/scale-database.ts';
import { startServer, stopProcess } from './support/processes.ts';

export interface ScaleResult {
  tasks: number;
  entries: number;
  listP95Ms: number;
  unitListP95Ms: number;
  /** From starting the server process to its listening (checkpointing the log it finds). */
  startSec: number;
  /** From starting the server process to its first report, on a database whose read model checkpoint it loads (the server ran on it before). */
  firstReportSec: number;
  /** The server's CPU time (user + system) from its start to that first report. */
  firstReportCpuSec: number;
  /** The same on the database's first start (no checkpoint yet: the report read model folds the whole log). */
  firstReportColdSec: number;
  firstReportColdCpuSec: number;
  summaryP95Ms: number | null;
  /** Every unit's score by rule. */
  unitsReportP95Ms: number | null;
  /** One unit (市司法局) with every reason for its score. */
  oneUnitReportP95Ms: number | null;
  replaySec: number;
  /** The hash chain of the whole log checked (what `audit verify` does on a log without checkpoints). */
  verifySec: number;
  /** The baseline, same run: SHA-256 alone over each entry's canonical bytes (the floor of any verification). */
  sha256Sec: number;
  /** The server's peak RSS (VmHWM) over start, lists, summary and units reports. */
  serverRssMb: number;
  /** The same after 50 reports of one unit with every reason (15,000 or so, 3 MB of JSON each). */
  serverRssWithReasonsMb: number;
}

/** A process's CPU time so far (user + system), in seconds. */
function cpuSec(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Math.round((Number(fields[11]) + Number(fields[12])) / 10) / 10;
}

/** A process's peak resident set so far (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  return Math.round(Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) / 1024);
}

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]! * 10) / 10;
}

async function timed(url: string, token: string, paths: () => string, count: number, budgetMs: number): Promise<number | null> {
  const samples: number[] = [];
  const deadline = performance.now() + budgetMs;
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const response = await fetch(`${url}${paths()}`, { headers: { Authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`${paths()} answered ${response.status}`);
    samples.push(performance.now() - t0);
    // A report that takes many seconds is reported from the samples it had time for.
    if (performance.now() > deadline && samples.length >= 3) break;
  }
  return p95(samples);
}

/** Seconds SHA-256 takes over every entry's canonical bytes, the bytes prepared outside the timing. */
async function sha256Alone(engine: Engine): Promise<number> {
  let ms = 0;
  for (let after = 0; ; ) {
    const page = await engine.readAudit(after, 2000);
    const bodies = page.map(({ hash: _hash, ...body }) => Buffer.from(canonicalJson(body as unknown as JsonObject), 'utf8'));
    const t0 = performance.now();
    for (const body of bodies) createHash('sha256').update(body).digest('hex');
    ms += performance.now() - t0;
    if (page.length < 2000) return ms / 1000;
    after = page[page.length - 1]!.seq;
  }
}

/** 100,000 tasks and 2,000,000 audit entries: list and report latencies (p95), replay time, server RSS. */
export async function scaleBench(tasks = 100_000, entries = 2_000_000, log: (line: string) => void = console.error): Promise<ScaleResult> {
  const fixture = await scaleDatabase(tasks, entries, log);
  // The server migrates and writes (keys, checkpoints, derived tables): a copy, so that the cached fixture stays as built.
  const db = `${fixture}.bench-${process.pid}.db`;
  copyFileSync(fixture, db);
  try {
    return await scaleBenchOn(db, tasks, log);
  } finally {
    for (const suffix of ['', '-wal', '-shm', '.checkpoints']) rmSync(db + suffix, { force: true });
    rmSync(`${db}.keys`, { recursive: true, force: true });
  }
}

async function scaleBenchOn(db: string, tasks: number, log: (line: string) => void): Promise<ScaleResult> {
  const duban = await openDuban(db, { create: false });
  const office = (await duban.tokens.create({ role: 'office', label: 'bench' }, new Date('2023-06-01T00:00:00Z'))).token;
  const unit = (await duban.tokens.create({ role: 'unit', unit: '市司法局', label: 'bench' }, new Date('2023-06-01T00:00:00Z'))).token;
  const entryCount = await duban.engine.auditSize();
  const t0 = performance.now();
  const replay = await duban.engine.replay();
  const replaySec = (performance.now() - t0) / 1000;
  if (replay.differences.length > 0) throw new Error(`scale fixture does not replay: ${JSON.stringify(replay.differences[0])}`);
  const v0 = performance.now();
  const chain = await duban.engine.verify();
  const verifySec = (performance.now() - v0) / 1000;
  if (!chain.ok) throw new Error(`scale fixture does not verify: ${chain.reason}`);
  const sha256Sec = await sha256Alone(duban.engine);
  await duban.close();

  const serverArgs = ['--db', db, '--rate-limit', '0', '--clock', '2023-06-01T09:00:00+08:00', '--timer-interval', '86400'];
  // The database's first start: the report read model folds the whole log once listening, the first
  // report waits for it; then the server writes the model's checkpoint (its stop waits for that).
  const c0 = performance.now();
  const cold = await startServer(serverArgs, { LOG_LEVEL: 'warn' });
  await timed(cold.url, office, () => '/api/reports/summary', 1, 0);
  const firstReportColdSec = Math.round((performance.now() - c0) / 100) / 10;
  const firstReportColdCpuSec = cpuSec(cold.child.pid!);
  log(`  scale: first report ${firstReportColdSec} s after the first start (server CPU ${firstReportColdCpuSec} s)`);
  await stopProcess(cold.child);

  // Every later start loads the checkpoint and folds only the log's tail.
  const s0 = performance.now();
  const server = await startServer(serverArgs, { LOG_LEVEL: 'warn' });
  const url = server.url;
  const startSec = Math.round((performance.now() - s0) / 100) / 10;
  try {
    await timed(url, office, () => '/api/reports/summary', 1, 0);
    const firstReportSec = Math.round((performance.now() - s0) / 100) / 10;
    const firstReportCpuSec = cpuSec(server.child.pid!);
    log(`  scale: first report ${firstReportSec} s after a later start (server CPU ${firstReportCpuSec} s)`);
    // Everything below is timed after, in the steady state.
    // Cursors spread over the whole id range: the first page, and pages deep inside.
    const cursors = ['', ...Array.from({ length: 20 }, (_, i) => Buffer.from(`scale-${String(Math.floor((i * tasks) / 71 / 20)).padStart(5, '0')}.001`).toString('base64url'))];
    let i = 0;
    const listP95Ms = (await timed(url, office, () => `/api/tasks?limit=100${cursors[i++ % cursors.length] ? `&cursor=${cursors[(i - 1) % cursors.length]}` : ''}`, 200, 60_000))!;
    const unitListP95Ms = (await timed(url, unit, () => '/api/tasks?limit=100', 100, 60_000))!;
    const summaryP95Ms = await timed(url, office, () => '/api/reports/summary', 50, 60_000).catch(() => null);
    const unitsReportP95Ms = await timed(url, office, () => '/api/reports/units', 50, 60_000).catch(() => null);
    // The peak so far: everything the issue lists. One unit's report with all its reasons comes after.
    const rss = peakRssMb(server.child.pid!);
    const oneUnitReportP95Ms = await timed(url, office, () => `/api/reports/units?unit=${encodeURIComponent('市司法局')}`, 50, 60_000).catch(() => null);
    const rssWithReasons = peakRssMb(server.child.pid!);
    return { tasks, entries: entryCount, listP95Ms, unitListP95Ms, startSec, firstReportSec, firstReportCpuSec, firstReportColdSec, firstReportColdCpuSec, summaryP95Ms, unitsReportP95Ms, oneUnitReportP95Ms, replaySec: Math.round(replaySec * 10) / 10, verifySec: Math.round(verifySec * 10) / 10, sha256Sec: Math.round(sha256Sec * 10) / 10, serverRssMb: rss, serverRssWithReasonsMb: rssWithReasons };
  } finally {
    await stopProcess(server.child);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await scaleBench(Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 2_000_000)), null, 2));
