import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@duban/engine';
import { instancesFromPlan } from '@duban/reform-task';
import { assessUnits, CurrentPlan, defaultAssessmentRules, summarize, SupervisionFold, taskFacts } from '../../src/reports/index.ts';
import { DATE_B, DISTRICTS, factsAt, id, office, plan, runScenario } from './scenario.ts';

const AFTER_B = new Date(DATE_B.getTime() + 1);
const registry = { membersOf: (name: string) => (name === '各区人民政府' ? DISTRICTS : []) };

/** The reports the read model gives, and the ones replaying the log to the same instant gives. */
async function bothWays(engine: Engine, model: CurrentPlan, at: Date) {
  const now = await model.at(at.getTime());
  expect(now, 'the read model answers for an instant after the last entry').toBeDefined();
  const replayed = await factsAt(engine, at);
  return {
    live: { summary: summarize(now!.tasks, now!.events, at), units: assessUnits(defaultAssessmentRules, now!.tasks, now!.events, at), tasks: now!.tasks },
    replayed: {
      summary: summarize(replayed.tasks, replayed.events, at),
      units: assessUnits(defaultAssessmentRules, replayed.tasks, replayed.events, at),
      tasks: replayed.tasks.map(taskFacts),
    },
  };
}

describe('CurrentPlan, the read model of reports as of now', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await runScenario();
  });
  afterAll(() => engine.close());

  it('when the read model is asked from a cold start and after new entries, then it gives what replaying the whole log gives', async () => {
    const model = new CurrentPlan(engine);
    const cold = await bothWays(engine, model, AFTER_B);
    expect(cold.live).toEqual(cold.replayed);

    // When the office hands task 5 to another lead unit and urges it, and a plan that sorts first
    // (by plan id) brings one more task
    await engine.send(id(5), { type: 'REASSIGN', payload: { leadUnits: ['市发改委'] } }, office, new Date(AFTER_B.getTime() + 500));
    await engine.send(id(5), { type: 'URGE', payload: { message: '请加快' } }, office, new Date(AFTER_B.getTime() + 1000));
    const extra = { tasks: [{ ...plan.tasks[0]!, text: '新增任务。' }] };
    await engine.create(instancesFromPlan(extra, registry, { planId: 'a-2023' }), { role: 'admin', unit: null }, new Date(AFTER_B.getTime() + 2000));
    const later = new Date(AFTER_B.getTime() + 3000);
    const warm = await bothWays(engine, model, later);

    // Then the model has folded them in, in plan order
    expect(warm.live).toEqual(warm.replayed);
    expect(warm.live.tasks.map((task) => `${task.task.planId}/${task.task.number}`)).toEqual(['a-2023/1', ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => `test-2023/${n}`)]);
    expect(warm.live.summary.activity.urges).toBe(cold.live.summary.activity.urges + 1);
  });

  it('given lean entries (payloads of its payload types only), when they are folded, then the facts equal those folded from whole ones', async () => {
    const whole = new SupervisionFold();
    for (const entry of await engine.readAudit(0, 1000)) whole.add(entry);
    const lean = new SupervisionFold();
    for (const entry of await engine.readLean(0, 1000, SupervisionFold.payloadTypes)) lean.add(entry);
    expect(whole.events.map((event) => event.kind)).toEqual(expect.arrayContaining(['verified', 'rejected', 'urge', 'interview', 'interview-held', 'referral', 'commendation', 'extension-approved']));
    expect(lean.events).toEqual(whole.events);
  });

  it('given a catch-up under way, when an entry is committed and another caller asks, then it sees that entry', async () => {
    const model = new CurrentPlan(engine);
    const first = model.at(Date.now());
    // Committed while the first catch-up may still be reading: the next call must see it.
    const sent = await engine.send(id(5), { type: 'URGE', payload: { message: '请本周报送' } }, office, new Date(AFTER_B.getTime() + 4000));
    const [, second] = await Promise.all([first, model.at(Date.now())]);
    expect(second!.events.at(-1)).toMatchObject({ kind: 'urge', seq: sent.entry.seq, taskId: id(5), detail: '请本周报送' });
    expect((await factsAt(engine, new Date(AFTER_B.getTime() + 5000))).events).toEqual(second!.events);
  });

  it('when it is asked for an instant before the log’s last entry, then it declines: such a report must replay', async () => {
    const model = new CurrentPlan(engine);
    expect(await model.at(DATE_B.getTime())).toBeUndefined();
    expect(await model.at(Date.now())).toBeDefined();
  });
});
