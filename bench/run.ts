import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { appendBench } from './append.ts';
import { heavyReadsBench } from './heavy-reads.ts';
import { httpBench } from './http.ts';
import { planDocumentBench } from './plan-document.ts';
import type { CostedSide } from './postgres.ts';
import { postgresBench } from './postgres.ts';
import { replayBench } from './replay.ts';
import { scaleBench } from './scale.ts';
import { uploadBench } from './upload.ts';
import type { UploadResult } from './upload.ts';
import { workbenchBench } from './workbench.ts';
import { pastViewsBench } from './past-views.ts';

/**
 * `pnpm bench`: every benchmark against its baseline in the same run, a table on stdout and
 * bench/results.json. Not a test: nothing here passes or fails, it measures.
 * BENCH_ONLY=http,heavy,replay,append,scale,postgres,plan,upload,workbench,past picks some; BENCH_SCALE=TASKS,ENTRIES shrinks the scale run.
 * The PostgreSQL run needs DUBAN_TEST_PG_URL: `.ci/postgres.sh npx -y pnpm@10 bench` starts a throwaway cluster.
 */
const only = new Set((process.env['BENCH_ONLY'] ?? 'http,heavy,replay,append,scale,postgres,plan,upload,workbench,past').split(','));
const [scaleTasks, scaleEntries] = (process.env['BENCH_SCALE'] ?? '100000,2000000').split(',').map(Number);
const results: Record<string, unknown> = {
  machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
  at: new Date().toISOString(),
};
const rows: [string, string, string, string][] = [];
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

if (only.has('http')) {
  const r = await httpBench();
  results['http'] = r;
  rows.push(['HTTP PROGRESS, 32 conns (req/s)', `duban ${fmt(r.duban.requestsPerSec)} (p50 ${r.duban.p50Ms} ms, p99 ${r.duban.p99Ms} ms)`, `bare Express ${fmt(r.bareExpress.requestsPerSec)}`, `${fmt(r.ratio)} (target >= 0.6)`]);
  rows.push(['HTTP PROGRESS, checkpoint policy (req/s)', `after each commit, <= 1 per 2 s: ${r.checkpointPolicyRounds.newPolicy.map(fmt).join(', ')}`, `every 1000 entries / 10 min: ${r.checkpointPolicyRounds.oldPolicy.map(fmt).join(', ')}`, `${fmt(r.checkpointPolicyRatio)} (new / old)`]);
}
if (only.has('heavy')) {
  const r = await heavyReadsBench();
  results['heavyReads'] = r;
  rows.push([`Task GET p50 while ${r.replayClients} replay ${fmt(r.entries)} entries (ms)`, `capped (2 at once, 6 wait): p50 ${r.capped.p50Ms} ms, p99 ${r.capped.p99Ms} ms, ${r.capped.replaysAnswered} replays`, `uncapped: p50 ${r.uncapped.p50Ms} ms, p99 ${r.uncapped.p99Ms} ms, ${r.uncapped.replaysAnswered} replays; no replays: p50 ${r.quiet.p50Ms} ms`, `${fmt(r.uncapped.p50Ms / Math.max(r.capped.p50Ms, 0.01))}x lower p50 with the cap`]);
}
if (only.has('postgres')) {
  const url = process.env['DUBAN_TEST_PG_URL'];
  if (url === undefined) {
    rows.push(['HTTP PROGRESS on PostgreSQL', 'skipped: DUBAN_TEST_PG_URL not set', 'run: .ci/postgres.sh npx -y pnpm@10 bench', '']);
  } else {
    const r = await postgresBench(url);
    results['postgres'] = r;
    const cpu = (c: CostedSide) => `CPU/answer: server ${c.serverCpuUs} µs, postgres ${c.postgresCpuUs ?? '?'} µs`;
    const { writes: w, reads: g } = r;
    rows.push(['HTTP PROGRESS on PostgreSQL, 32 connections (req/s)', `one server ${fmt(w.oneServer.requestsPerSec)} (p99 ${w.oneServer.p99Ms} ms; ${cpu(w.oneServer)}), two servers ${fmt(w.twoServers.requestsPerSec)} (p99 ${w.twoServers.p99Ms} ms; ${cpu(w.twoServers)})`, `SQLite, one server, same run: ${fmt(w.sqlite.requestsPerSec)} (${cpu(w.sqlite)}); load ${r.load.join(' -> ')}`, `${fmt(w.ratioToSqlite)} of SQLite (target >= 0.5)`]);
    rows.push(['GET /api/tasks/:id on PostgreSQL, 32 connections (req/s)', `one server ${fmt(g.oneServer.requestsPerSec)} (${cpu(g.oneServer)}), two servers ${fmt(g.twoServers.requestsPerSec)} (${cpu(g.twoServers)})`, `SQLite, one server, same run: ${fmt(g.sqlite.requestsPerSec)}`, `two servers ${fmt(g.twoOverOne)}x one (target > 1)`]);
  }
}
if (only.has('replay')) {
  const r = await replayBench();
  results['replay'] = r;
  rows.push(['Replay, hashes checked (entries/s)', `duban ${fmt(r.replayFromDatabasePerSec)} from db, ${fmt(r.replayInMemoryPerSec)} in memory`, `XState transition() ${fmt(r.rawTransitionsPerSec)}`, `${fmt(r.ratioFromDatabase)} from db (target >= 0.7)`]);
  rows.push([`Replay on ${r.workers} threads (entries/s)`, `duban ${fmt(r.parallelFromDatabasePerSec)} from db (reading alone ${fmt(r.readFromDatabasePerSec)}), ${fmt(r.parallelInMemoryPerSec)} in memory`, `XState transition() ${fmt(r.rawTransitionsPerSec)}, one thread`, `${fmt(r.ratioParallelInMemory)} in memory, ${fmt(r.ratioParallelFromDatabase)} from db (target >= 1.6)`]);
}
if (only.has('append')) {
  const r = await appendBench();
  results['append'] = r;
  rows.push(['Append with expected version (events/s)', `duban ${fmt(r.dubanConcurrentPerSec)} (32 in flight, CPU ${r.dubanCpuUsPerEvent} µs/event), ${fmt(r.dubanSequentialPerSec)} one at a time`, `emmett-sqlite ${fmt(r.emmettPerSec)} (CPU ${r.emmettCpuUsPerEvent} µs/event)`, `${fmt(r.ratio)} (target >= 10)`]);
}
if (only.has('scale')) {
  const r = await scaleBench(scaleTasks, scaleEntries);
  results['scale'] = r;
  rows.push([`Scale: ${fmt(r.tasks)} tasks, ${fmt(r.entries)} entries`, `list p95 ${r.listP95Ms} ms, unit list p95 ${r.unitListP95Ms} ms, summary p95 ${r.summaryP95Ms ?? 'n/a'} ms, units report p95 ${r.unitsReportP95Ms ?? 'n/a'} ms (one unit with reasons ${r.oneUnitReportP95Ms ?? 'n/a'} ms)`, `replay ${r.replaySec} s, server listening after ${r.startSec} s, first report after ${r.firstReportSec} s (server CPU ${r.firstReportCpuSec} s; the database's first start ${r.firstReportColdSec} s, CPU ${r.firstReportColdCpuSec} s), RSS ${r.serverRssMb} MB (${r.serverRssWithReasonsMb} MB after one unit's reports)`, 'list < 50 ms, report < 200 ms, first report < 2 s, RSS < 300 MB']);
  rows.push([`audit verify of the scale log (hash chain)`, `${r.verifySec} s`, `SHA-256 alone over the same bytes ${r.sha256Sec} s`, `${fmt(r.verifySec / Math.max(r.sha256Sec, 0.001))}x the limit`]);
}
if (only.has('workbench')) {
  const r = await workbenchBench(scaleTasks, scaleEntries);
  results['workbench'] = r;
  rows.push([`Workbench: search at ${fmt(r.tasks)} tasks (p95 ms)`, `search ${r.searchP95Ms} (descending ${r.searchDescP95Ms}, next page ${r.searchNextPageP95Ms}, 1-2 characters ${r.shortSearchP95Ms}), FTS5 match: first 101 ${r.ftsPageQueryP95Ms}, every match ${r.ftsQueryP95Ms}; first search indexes all in ${r.firstSearchSec} s`, `plain list page ${r.plainListP95Ms}, indexed lookup of 100 ids ${r.indexedQueryP95Ms}`, `${fmt(r.searchP95Ms / Math.max(r.plainListP95Ms, 0.01))}x the plain list (target: search < 50 ms)`]);
  rows.push(['Workbench: inbox counts (p95 ms)', `inbox ${r.inboxP95Ms}`, `plain list page ${r.plainListP95Ms}`, `${fmt(r.inboxP95Ms / Math.max(r.plainListP95Ms, 0.01))}x the plain list (target < 50 ms)`]);
  rows.push([`Workbench: bulk URGE of ${fmt(r.bulkUrgeTasks)} tasks (ms)`, `${fmt(r.bulkUrgeMs)} ms, ${fmt(r.bulkUrgeOk)} urged`, `${fmt(r.bulkUrgeMs / Math.max(r.bulkUrgeTasks, 1))} ms a task`, 'target < 2000 ms']);
}
if (only.has('plan')) {
  const r = await planDocumentBench();
  results['planDocument'] = r;
  rows.push([`Plan preview, ${fmt(r.tasks)}-task .docx (${fmt(r.bytes / 1024)} KB)`, `readPlanDocument ${fmt(r.previewMs)} ms`, `mammoth extractRawText ${fmt(r.rawTextMs)} ms`, `${fmt(r.ratio)}x the limit (target: preview < 2000 ms)`]);
  rows.push([`Plan import, the same .docx into a fresh SQLite database`, `PlanImporter.import ${fmt(r.importMs)} ms (median of ${r.importRuns})`, `mammoth extractRawText ${fmt(r.rawTextMs)} ms`, `${fmt(r.importRatio)}x the limit (target: import < 5000 ms)`]);
}
if (only.has('upload')) {
  const uploadRow = (label: string, r: UploadResult) =>
    rows.push([`Upload ${r.megabytes} MB evidence file, stored and acknowledged (ms)${label}`, `duban ${fmt(r.uploadMs)} ms (server CPU ${fmt(r.serverCpuMsPerUpload)} ms an upload); RSS ${r.idleRssMb} MB idle, ${r.afterRoundsRssMb} MB after the rounds, ${r.peakRssMb} MB peak with ${r.concurrent} at once (+${r.peakRssMb - r.idleRssMb} MB; ${r.concurrentAnswered} answered 201 in ${fmt(r.concurrentMs)} ms); load average ${r.load.join(' → ')}`, `write + fsync ${fmt(r.fsyncMs)} ms`, `${fmt(r.ratio)}x the limit (target: < 1000 ms; RSS within 50 MB of idle)`]);
  const r = await uploadBench();
  results['upload'] = r;
  uploadRow('', r);
  const url = process.env['DUBAN_TEST_PG_URL'];
  if (url !== undefined) {
    const pg = await uploadBench(url);
    results['uploadPostgres'] = pg;
    uploadRow(' on PostgreSQL', pg);
  }
}

const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), 10));
console.log(rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')).join('\n'));
if (only.has('past')) {
  const r = await pastViewsBench(scaleTasks, scaleEntries);
  results['past'] = r;
  rows.push([`Past views at ${fmt(r.tasks)} tasks (p95 ms, as of a past day)`, `summary ${fmt(r.pastSummaryP95Ms)}, units ${fmt(r.pastUnitsP95Ms)}, ledger CSV ${fmt(r.pastLedgerCsvP95Ms)}; the past facts alone ${fmt(r.historyReadMs)} (CPU ${fmt(r.historyReadCpuMs)}); first past view ${fmt(r.firstPastSummaryMs)}${r.buildSec === null ? '' : `; history built in ${r.buildSec} s`}`, `as of now: summary ${fmt(r.nowSummaryP95Ms)}, units ${fmt(r.nowUnitsP95Ms)}, ledger CSV ${fmt(r.nowLedgerCsvP95Ms)}`, `${fmt(r.pastSummaryP95Ms / Math.max(r.nowSummaryP95Ms, 1))}x now; RSS ${r.rssBeforePastMb} MB before past views, peak ${r.summaryPeakRssMb} MB through past summaries and units, ${r.peakRssMb} MB with the ledgers (target < 1000 ms, RSS < 300 MB)`]);
}
// A partial run (BENCH_ONLY) updates its sections and keeps the others from earlier runs.
const file = join(import.meta.dirname, 'results.json');
const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
writeFileSync(file, `${JSON.stringify({ ...earlier, ...results }, null, 2)}\n`);
console.log(`\nwritten: bench/results.json`);
