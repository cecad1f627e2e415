import { Engine, openStore } from '../../packages/engine/src/index.ts';
import { reformTaskV1, reportingCycleV1, foldPayloadTypes, foldActorTypes, foldReformTask } from '../../workflows/reform-task/src/index.ts';
import { SupervisionFold } from '../../packages/server/src/reports/index.ts';
const engine = new Engine(await openStore('/tmp/asof-fixture.db'), [reformTaskV1, reportingCycleV1]);
const types = [...new Set([...foldPayloadTypes, ...SupervisionFold.payloadTypes])];
const N = 200_000;
for (const [label, p, a] of [['none', [], []], ['supervision', SupervisionFold.payloadTypes, []], ['fold', types, foldActorTypes]] as const) {
  const t0 = performance.now(); let seq = 0; const all = [];
  while (seq < N) { const page = await engine.readLean(seq, 2000, p, a); all.push(...page); seq = page.at(-1)!.seq; }
  const t1 = performance.now();
  if (label === 'fold') {
    const f = new SupervisionFold(); const tasks = new Map();
    const counts = new Map<string, number>();
    for (const e of all) { counts.set(e.type, (counts.get(e.type) ?? 0) + 1); }
    const t2 = performance.now();
    for (const e of all) f.add(e);
    const t3 = performance.now();
    for (const e of all) { const x = { type: e.type, payload: e.payload, actor: e.actor, at: Date.parse(e.at), from: e.from, to: e.to }; tasks.set(e.instanceId, foldReformTask(e.type === 'CREATE' ? undefined : tasks.get(e.instanceId), x)); }
    const t4 = performance.now();
    console.log(label, 'read', (t1 - t0).toFixed(0), 'supervision', (t3 - t2).toFixed(0), 'fold', (t4 - t3).toFixed(0), JSON.stringify([...counts]));
  } else console.log(label, 'read', (t1 - t0).toFixed(0));
}
await engine.close();
