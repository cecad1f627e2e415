import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appDeps, createApp, createLogger, openDuban, SimulatedClock } from '../packages/server/src/index.ts';
import { scaleDatabase } from './support/scale-database.ts';

export interface PastViewsResult {
  tasks: number;
  /** Folding the whole log into plan_history, when this run had to (the built copy is cached beside the fixture); null when cached. */
  buildSec: number | null;
  /** As of the end of a past day (2023-05-10, tasks mid-life), over HTTP on the same server. */
  pastSummaryP95Ms: number;
  pastLedgerCsvP95Ms: number;
  /** Baselines, same server, same run: the same views as of now (the read model). */
  nowSummaryP95Ms: number;
  nowLedgerCsvP95Ms: number;
  pastUnitsP95Ms: number;
  nowUnitsP95Ms: number;
  /** The first past view after start: it waits for the timeline of facts to be built from the history's rows. */
  firstPastSummaryMs: number;
  /** The process's RSS after the views as of now, before any past view (the server runs in this process). */
  rssBeforePastMb: number;
  /** The process's peak RSS from the first past view through the past summaries and units reports (before any ledger). */
  summaryPeakRssMb: number;
  /** The process's peak RSS from the first past view to the end, the ledgers as of now and as of the past day included. */
  peakRssMb: number;
  /** Where a past summary's time goes, measured apart on the same server: the facts as of the past day alone (history read and supervision facts; no HTTP, no summary), wall clock and CPU time of the process (the load does not change the latter), mean of three. */
  historyReadMs: number;
  historyReadCpuMs: number;
}

const PAST_DAY = '2023-05-10';
const RUNS = 3;

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!);
}

/**
 * Past views at scale (issue 21): the summary and the ledger CSV as of a past day, against the same
 * views as of now on the same server, served in process through the composition root from a copy of
 * the scale fixture whose plan history is built once and cached (the fixture itself stays untouched).
 */
export async function pastViewsBench(tasks = 100_000, entries = 2_000_000, log: (line: string) => void = console.error): Promise<PastViewsResult> {
  const fixture = await scaleDatabase(tasks, entries, log);
  const built = join(tmpdir(), `duban-bench-past-v1-${tasks}-${entries}.db`);
  let buildSec: number | null = null;
  if (!existsSync(built)) {
    const building = `${built}.building`;
    copyFileSync(fixture, building);
    const duban = await openDuban(building, { create: false });
    const b0 = performance.now();
    log('past views: building the plan history of the scale log (once)…');
    await duban.plans.facts({ at: new Date(`${PAST_DAY}T16:00:00Z`), now: false });
    buildSec = Math.round((performance.now() - b0) / 100) / 10;
    await duban.close();
    renameSync(building, built);
  }
  const db = join(tmpdir(), `duban-bench-past-${process.pid}.db`);
  copyFileSync(built, db);
  const clock = new SimulatedClock('2023-06-01T09:00:00+08:00');
  const duban = await openDuban(db, { create: false });
  const app = createApp(appDeps(duban, { clock, logger: createLogger({ level: 'silent' }), auditKey: { origin: 'bench', publicKey: generateKeyPairSync('ed25519').publicKey } }));
  const server = app.listen(0, '127.0.0.1');
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
  const timed = async (path: string) => {
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await get(path);
      samples.push(performance.now() - t0);
    }
    return p95(samples);
  };
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    // The read model's first catch-up before any timing; the views as of now first, before the history is read.
    await get('/api/reports/summary');
    const nowSummaryP95Ms = await timed('/api/reports/summary');
    const nowUnitsP95Ms = await timed('/api/reports/units');
    const rssBeforePast = process.memoryUsage().rss;
    peak = rssBeforePast;
    const f0 = performance.now();
    await get(`/api/reports/summary?asOf=${PAST_DAY}`);
    const firstPastSummaryMs = Math.round(performance.now() - f0);
    const pastSummaryP95Ms = await timed(`/api/reports/summary?asOf=${PAST_DAY}`);
    const pastUnitsP95Ms = await timed(`/api/reports/units?asOf=${PAST_DAY}`);
    const h0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < RUNS; i++) await duban.plans.facts({ at: new Date(`${PAST_DAY}T15:59:59.999Z`), now: false });
    const cpu = process.cpuUsage(c0);
    const historyReadMs = Math.round((performance.now() - h0) / RUNS);
    const historyReadCpuMs = Math.round((cpu.user + cpu.system) / 1000 / RUNS);
    log(`past views: summary ${pastSummaryP95Ms} ms, units ${pastUnitsP95Ms} ms, facts ${historyReadMs} ms (CPU ${historyReadCpuMs} ms), first ${firstPastSummaryMs} ms; as of now ${nowSummaryP95Ms}, ${nowUnitsP95Ms} ms`);
    // The ledgers last: the one as of now holds far more than the past views before it.
    const summaryPeakRssMb = Math.round(peak / 1e6);
    const nowLedgerCsvP95Ms = await timed('/api/reports/ledger.csv');
    const pastLedgerCsvP95Ms = await timed(`/api/reports/ledger.csv?asOf=${PAST_DAY}`);
    return {
      tasks, buildSec, pastSummaryP95Ms, pastUnitsP95Ms, pastLedgerCsvP95Ms, nowSummaryP95Ms, nowUnitsP95Ms, nowLedgerCsvP95Ms, firstPastSummaryMs,
      rssBeforePastMb: Math.round(rssBeforePast / 1e6), summaryPeakRssMb, peakRssMb: Math.round(peak / 1e6), historyReadMs, historyReadCpuMs,
    };
  } finally {
    clearInterval(sampler);
    server.closeAllConnections();
    server.close();
    await duban.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await pastViewsBench(Number(process.argv[2] ?? 100_000), Number(process.argv[3] ?? 2_000_000)), null, 2));
