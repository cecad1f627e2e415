import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@duban/engine';
import type { Kysely } from 'kysely';
import { instancesFromPlan } from '@duban/reform-task';
import { migrateServerSchema } from '../../src/db/server-migrations.ts';
import type { ServerDatabase } from '../../src/db/server-tables.ts';
import { CHECKPOINT_FORMAT, ReadModelCheckpoints } from '../../src/reports/current-plan-checkpoint.ts';
import { CurrentPlan, taskFacts } from '../../src/reports/index.ts';
import { DATE_B, DISTRICTS, factsAt, id, office, plan, runScenario } from './scenario.ts';

const registry = { membersOf: (name: string) => (name === '各区人民政府' ? DISTRICTS : []) };
const after = (ms: number) => new Date(DATE_B.getTime() + ms);

describe('the report read model’s checkpoint', () => {
  let engine: Engine;
  let db: Kysely<ServerDatabase>;
  let checkpoints: ReadModelCheckpoints;
  beforeAll(async () => {
    engine = await runScenario();
    db = engine.store.kysely as Kysely<ServerDatabase>;
    await migrateServerSchema(db, engine.store.dialect);
    checkpoints = new ReadModelCheckpoints(db);
  });
  afterAll(() => engine.close());

  /** The model's tasks and facts as of `at`, beside those a model folding the whole log and a full replay give. */
  async function threeWays(model: CurrentPlan, at: Date) {
    const loaded = await model.at(at.getTime());
    const folded = await new CurrentPlan(engine).at(at.getTime());
    const replayed = await factsAt(engine, at);
    expect(loaded, 'the model answers for an instant after the last entry').toBeDefined();
    return {
      loaded: { tasks: loaded!.tasks, events: loaded!.events },
      folded: { tasks: folded!.tasks, events: folded!.events },
      replayed: { tasks: replayed.tasks.map(taskFacts), events: replayed.events },
    };
  }

  it('given a checkpoint written after part of the log, when a new model starts from it and folds the tail, then it equals the model folded from the whole log and the replay', async () => {
    // Given a lead unit handed over before the checkpoint
    await engine.send(id(5), { type: 'REASSIGN', payload: { leadUnits: ['市发改委'] } }, office, after(100));
    const writer = new CurrentPlan(engine, checkpoints);
    expect(await writer.saveCheckpoint(1)).toBe(true);
    const savedAt = (await engine.readAudit(0, 10_000)).at(-1)!.seq;
    // Nothing new folded in since: nothing written
    expect(await writer.saveCheckpoint(1)).toBe(false);

    // When entries follow it: an urge (whose fact names the lead unit the checkpoint holds) and a plan's new task
    await engine.send(id(5), { type: 'URGE', payload: { message: '请加快' } }, office, after(200));
    await engine.create(instancesFromPlan({ tasks: [{ ...plan.tasks[0]!, text: '新增任务。' }] }, registry, { planId: 'a-2023' }), { role: 'admin', unit: null }, after(300));
    const model = new CurrentPlan(engine, checkpoints);
    const ways = await threeWays(model, after(1000));

    // Then it started from the checkpoint, and its tasks and facts equal the others'
    expect(model.checkpoint).toEqual({ loadedAt: savedAt });
    expect(ways.loaded).toEqual(ways.folded);
    expect(ways.loaded).toEqual(ways.replayed);
    expect(ways.loaded.events.at(-1)).toMatchObject({ kind: 'urge', taskId: id(5), leadUnits: ['市发改委'] });
    expect(ways.loaded.tasks.map((task) => task.task.planId)).toContain('a-2023');
  });

  /** Rewrites the checkpoint's part `part` with `change`. */
  async function damage(part: number, change: (body: string) => string): Promise<void> {
    const row = await db.selectFrom('report_model_checkpoint').select('body').where('part', '=', part).executeTakeFirstOrThrow();
    await db.updateTable('report_model_checkpoint').set({ body: change(row.body) }).where('part', '=', part).execute();
  }

  it.each([
    ['a damaged part', /damaged/, () => damage(2, (body) => body.slice(0, body.length / 2))],
    ['a part missing', /missing or damaged/, () => db.deleteFrom('report_model_checkpoint').where('part', '=', 1).execute().then(() => undefined)],
    ['an older format', /format/, () => damage(0, (body) => JSON.stringify({ ...JSON.parse(body), format: CHECKPOINT_FORMAT - 1 }))],
    ['another log (the hash of its entry differs)', /not the one/, () => damage(0, (body) => JSON.stringify({ ...JSON.parse(body), hash: '0'.repeat(64) }))],
    ['a seq past the log’s end', /not the one/, () => damage(0, (body) => JSON.stringify({ ...JSON.parse(body), seq: 1_000_000 }))],
  ])('given %s, when a model starts, then it ignores the checkpoint, folds the whole log and writes a good one again', async (_case, why, spoil) => {
    await engine.send(id(2), { type: 'URGE', payload: { message: '请报送' } }, office, after(2000 + Math.floor(Math.random() * 1000)));
    expect(await new CurrentPlan(engine, checkpoints).saveCheckpoint(1)).toBe(true);
    await spoil();
    const model = new CurrentPlan(engine, checkpoints);
    const ways = await threeWays(model, after(5000));
    expect(model.checkpoint).toMatchObject({ refused: expect.stringMatching(why) });
    expect(ways.loaded).toEqual(ways.folded);
    expect(ways.loaded).toEqual(ways.replayed);

    // And the checkpoint it writes again is used by the next
    expect(await model.saveCheckpoint(1)).toBe(true);
    const next = new CurrentPlan(engine, checkpoints);
    expect((await threeWays(next, after(5000))).loaded).toEqual(ways.loaded);
    expect(next.checkpoint).toHaveProperty('loadedAt');
  });
});
