import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@duban/engine';
import type { PlanFacts } from '../../src/reports/index.ts';
import { reportTasks, summarize } from '../../src/reports/index.ts';
import { DATE_A, DATE_B, factsAt, runScenario } from './scenario.ts';

const tally = (total: number, closed: number, verified: number, overdue: number, red: number, yellow: number, green: number) =>
  ({ total, closed, verified, overdue, red, yellow, green });

describe('summarize', () => {
  let engine: Engine;
  let atA: PlanFacts;
  let atB: PlanFacts;
  beforeAll(async () => {
    engine = await runScenario();
    atA = await factsAt(engine, DATE_A);
    atB = await factsAt(engine, DATE_B);
  });
  afterAll(() => engine.close());

  it('when the plan is summarized as of date A (end of 2023-08-31), then the tasks are counted as worked out by hand', () => {
    // When the office asks for the summary at A
    const summary = summarize(atA.tasks, atA.events, DATE_A);

    // Then the figures are those worked out by hand from the scenario
    expect(summary.asOf).toBe('2023-08-31T15:59:59.999Z');
    expect(summary.total).toBe(8);
    expect(summary.byState).toEqual({ assigned: 1, in_progress: 3, reported: 0, verified: 2, closed: 1, interview: 0, accountability: 0, cancelled: 1 });
    expect(summary.byLight).toEqual({ red: 1, yellow: 1, green: 5, none: 1 });
    expect(summary.byPart).toEqual([
      { part: '一、持续深化简政放权', ...tally(3, 1, 2, 0, 0, 0, 3) },
      { part: '二、不断创新监管机制', ...tally(2, 0, 0, 0, 0, 1, 1) },
      { part: '三、持续优化政务服务', ...tally(3, 0, 0, 1, 1, 0, 1) },
    ]);
    expect(summary.byLeadUnit).toEqual([
      { unit: '市发改委', ...tally(1, 1, 0, 0, 0, 0, 1) },
      { unit: '市人社局', ...tally(1, 0, 0, 0, 0, 1, 0) },
      { unit: '市市场监管局', ...tally(2, 0, 2, 0, 0, 0, 2) },
      { unit: '市司法局', ...tally(1, 0, 0, 0, 0, 0, 1) },
      { unit: '市医保局', ...tally(1, 0, 0, 0, 0, 0, 0) },
      { unit: '市政务服务和公共资源交易中心', ...tally(1, 0, 0, 0, 0, 0, 1) },
      { unit: '市自然资源局', ...tally(1, 0, 0, 1, 1, 0, 0) },
    ]);
    expect(summary.completion.done).toBe(3);
    expect(summary.completion.base).toBe(7);
    expect(summary.completion.rate).toBeCloseTo(0.428571, 6);
    expect(summary.completion.percent).toBe('42.9%');
    expect(summary.overdue).toEqual([
      {
        id: 'test-2023.008',
        number: 8,
        text: '推行不动产登记“交房即交证”。',
        leadUnits: ['市自然资源局'],
        responsibleUnits: ['市住建局'],
        dueDate: '2023-08-15',
        days: 16,
        state: 'assigned',
        stateLabel: '已交办',
      },
    ]);
    expect(summary.activity).toEqual({
      urges: 2, warnings: 4, deadlinesPassed: 3, rejections: 1, interviewsStarted: 1, interviewsHeld: 1, referrals: 0, commendations: 1, extensionsApproved: 0,
    });
  });

  it('when the plan is summarized as of date B (end of 2023-10-31), then the tasks are counted as worked out by hand', () => {
    const summary = summarize(atB.tasks, atB.events, DATE_B.getTime());

    expect(summary.byState).toEqual({ assigned: 0, in_progress: 1, reported: 0, verified: 3, closed: 1, interview: 1, accountability: 1, cancelled: 1 });
    expect(summary.byLight).toEqual({ red: 2, yellow: 0, green: 5, none: 1 });
    expect(summary.byPart).toEqual([
      { part: '一、持续深化简政放权', ...tally(3, 1, 2, 0, 0, 0, 3) },
      { part: '二、不断创新监管机制', ...tally(2, 0, 1, 0, 1, 0, 1) },
      { part: '三、持续优化政务服务', ...tally(3, 0, 0, 1, 1, 0, 1) },
    ]);
    expect(summary.byLeadUnit).toEqual([
      { unit: '市发改委', ...tally(1, 1, 0, 0, 0, 0, 1) },
      { unit: '市人社局', ...tally(1, 0, 1, 0, 0, 0, 1) },
      { unit: '市市场监管局', ...tally(2, 0, 2, 0, 0, 0, 2) },
      { unit: '市司法局', ...tally(1, 0, 0, 0, 1, 0, 0) },
      { unit: '市医保局', ...tally(1, 0, 0, 0, 0, 0, 0) },
      { unit: '市政务服务和公共资源交易中心', ...tally(1, 0, 0, 0, 0, 0, 1) },
      { unit: '市自然资源局', ...tally(1, 0, 0, 1, 1, 0, 0) },
    ]);
    expect(summary.completion).toMatchObject({ done: 4, base: 7, percent: '57.1%' });
    expect(summary.completion.rate).toBeCloseTo(0.571429, 6);
    // Task 8: overdue since the end of 2023-08-15, in interview, 77 days by the end of 2023-10-31.
    expect(summary.overdue.map((t) => [t.number, t.days, t.stateLabel])).toEqual([[8, 77, '约谈中']]);
    expect(summary.activity).toEqual({
      urges: 2, warnings: 5, deadlinesPassed: 4, rejections: 1, interviewsStarted: 2, interviewsHeld: 1, referrals: 1, commendations: 1, extensionsApproved: 1,
    });
  });

  it('given supervision facts after the instant, when the plan is summarized as of date A, then they are ignored', async () => {
    const snapshots = await engine.snapshotsAt(DATE_A);

    const summary = summarize(reportTasks(snapshots), atB.events, DATE_A);

    expect(summary.byState.assigned).toBe(1);
    expect(summary.activity.referrals).toBe(0);
    expect(summary.completion.percent).toBe('42.9%');
  });

  it('given no task, when it is summarized, then the completion rate is 0', () => {
    expect(summarize([], [], 0).completion).toEqual({ done: 0, base: 0, rate: 0, percent: '0.0%' });
  });
});
