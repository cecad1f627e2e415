import { start } from '@duban/engine';
import { describe, expect, test } from 'vitest';
import type { PlanLike } from '../src/index.ts';
import { instancesFromPlan, reformTaskInput, reformTaskV1 } from '../src/index.ts';
import { DISTRICTS, actors, taskInput } from './support.ts';

const registry = { membersOf: (name: string) => (name === '各区人民政府' ? DISTRICTS : []) };

const plan: PlanLike = {
  tasks: [
    {
      number: 8,
      part: '一、持续深化简政放权',
      measure: '（二）深入推进行政审批制度改革。',
      text: '优化建设项目使用林、草地审批管理。',
      leadUnits: ['市林草局', '市自然资源局'],
      responsibleUnits: ['各区人民政府'],
      deadline: { text: '2023年6月底前', date: '2023-06-30', ongoing: false },
    },
    {
      number: 71,
      part: '三、持续优化政务服务',
      measure: '（二十二）其他。',
      text: '持续推进某项工作。',
      leadUnits: ['市发改委'],
      responsibleUnits: ['市级各有关部门'],
      deadline: { text: '长期坚持', date: null, ongoing: true },
    },
  ],
};

describe('instancesFromPlan', () => {
  const planned = instancesFromPlan(plan, registry, { planId: 'karamay-2023-fangguanfu' });

  test('given a plan, then each task becomes one reform-task instance with a padded id', () => {
    expect(planned.map((p) => [p.id, p.workflow])).toEqual([
      ['karamay-2023-fangguanfu.008', 'reform-task'],
      ['karamay-2023-fangguanfu.071', 'reform-task'],
    ]);
  });

  test('given a collective unit on a task, then its members are baked into the input; other collectives are kept as written', () => {
    expect(planned[0]?.input.collectives).toEqual({ 各区人民政府: DISTRICTS });
    expect(planned[1]?.input.collectives).toEqual({});
    expect(planned[1]?.input.responsibleUnits).toEqual(['市级各有关部门']);
  });

  test('given defaults, then the office limits are 3 / 30 / 3; given options, then they are used', () => {
    expect(planned[0]?.input).toMatchObject({ warningLeadDays: 3, escalateAfterDays: 30, maxRejections: 3 });
    const custom = instancesFromPlan(plan, registry, { planId: 'p', warningLeadDays: 5, escalateAfterDays: 15, maxRejections: 2 });
    expect(custom[0]?.input).toMatchObject({ planId: 'p', warningLeadDays: 5, escalateAfterDays: 15, maxRejections: 2 });
  });

  test('given every planned input, including one without a date, then the engine creates it', () => {
    for (const p of planned) {
      expect(reformTaskInput.parse(p.input)).toEqual(p.input);
      const result = start(reformTaskV1, p.id, p.input, actors.admin, 0);
      expect(result.ok, p.id).toBe(true);
    }
  });

  test('given a plan with a repeated number, then it throws', () => {
    const first = plan.tasks[0];
    if (first === undefined) throw new Error('fixture');
    expect(() => instancesFromPlan({ tasks: [first, first] }, registry, { planId: 'p' })).toThrow(/task number 8 twice/);
  });
});

describe('instance input', () => {
  test('given unknown keys, no lead unit or a bad date, then the engine refuses to create the task', () => {
    const bad = [
      { ...taskInput(), extra: 1 },
      taskInput({ leadUnits: [] }),
      taskInput({ deadline: { text: '', date: '2023-13-01', ongoing: false } }),
      taskInput({ warningLeadDays: 61 }),
    ];
    for (const input of bad) expect(start(reformTaskV1, 'x', input, actors.admin, 0).ok).toBe(false);
  });

  test('given the limits left out, then they default to 3 / 30 / 3', () => {
    const { warningLeadDays: _w, escalateAfterDays: _e, maxRejections: _m, collectives: _c, ...bare } = taskInput();
    expect(reformTaskInput.parse(bare)).toMatchObject({ warningLeadDays: 3, escalateAfterDays: 30, maxRejections: 3, collectives: {} });
  });
});
