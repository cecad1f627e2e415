import { openDuban } from '../../packages/server/src/index.ts';
import { summarize, ledgerRows } from '../../packages/server/src/reports/index.ts';
const duban = await openDuban('/tmp/asof-fixture.db', { create: false });
let peak = 0; const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 100);
const mb = () => Math.round(Math.max(peak, process.memoryUsage().rss) / 1e6);
const time = async <T>(label: string, run: () => Promise<T>): Promise<T> => { const t0 = performance.now(); const r = await run(); console.log(label, ((performance.now() - t0) / 1000).toFixed(2), 's', 'peak', mb(), 'MB'); return r; };
const history = (duban.plans as any).history;
let last = 0; history.onProgress = (seq: number) => { if (seq - last >= 200000) { last = seq; console.log('  built to', seq, mb(), 'MB'); } };
await time('build', () => history.catchUp());
const past = new Date(process.argv[2] ?? '2023-05-10T10:00:00Z');
const now = new Date('2023-06-01T01:00:00Z');
for (let i = 0; i < 3; i++) {
  const f = await time('facts now (baseline)', () => duban.plans.facts({ at: now, now: true }));
  const p = await time('facts past', () => duban.plans.facts({ at: past, now: false }));
  await time('summary past', async () => summarize(p.tasks, p.events, past));
  await time('ledger past', async () => ledgerRows(await duban.plans.tasks({ at: past, now: false }), past).length);
  console.log(' tasks', f.tasks.length, p.tasks.length);
}
clearInterval(timer);
await duban.close();
