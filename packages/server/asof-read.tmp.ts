import { Engine, openStore } from '../../packages/engine/src/index.ts';
import { reformTaskV1, reportingCycleV1 } from '../../workflows/reform-task/src/index.ts';
import { PlanHistory } from '../../packages/server/src/reports/past/plan-history.ts';
import { sql } from 'kysely';
const store = await openStore('/tmp/asof-fixture.db');
const engine = new Engine(store, [reformTaskV1, reportingCycleV1]);
const h = new PlanHistory(engine, store.kysely as any);
const at = Date.parse(process.argv[2] ?? '2023-05-10T10:00:00Z');
for (let i = 0; i < 1; i++) {
  let t0 = performance.now(); await h.catchUp(); const c = performance.now() - t0;
  t0 = performance.now(); const f = await h.facts(at); const ft = performance.now() - t0;
  t0 = performance.now(); let n = 0; for (let after = ''; ;) { const r = await sql<any>`SELECT h.instance_id, h.version, h.at, c.at AS assigned_at, h.state,
          (SELECT p.plan FROM plan_history p WHERE p.instance_id = h.instance_id AND p.version = h.plan_v) AS plan,
          (SELECT s.standing FROM plan_history s WHERE s.instance_id = h.instance_id AND s.version = h.standing_v) AS standing
        FROM plan_history c JOIN plan_history h ON h.instance_id = c.instance_id AND h.version = (
          SELECT l.version FROM plan_history l WHERE l.instance_id = c.instance_id AND l.at <= ${at} ORDER BY l.at DESC, l.version DESC LIMIT 1)
        WHERE c.version = 1 AND c.at <= ${at} AND c.instance_id > ${after} ORDER BY c.instance_id LIMIT 2000`.execute(store.kysely); n += r.rows.length; if (r.rows.length < 2000) break; after = r.rows.at(-1).instance_id; }
  const st = performance.now() - t0;
  console.log({ catchUpMs: c.toFixed(0), factsMs: ft.toFixed(0), sqlOnlyMs: st.toFixed(0), tasks: f.length, n, rssMB: Math.round(process.memoryUsage().rss / 1e6) });
}
await engine.close();
