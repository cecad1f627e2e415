import { describe, expect, test } from 'vitest';
import type { ReformTaskSnapshot } from '../src/index.ts';
import { authorize, reformTaskEventTypes, tags, visibleTo } from '../src/index.ts';
import { DISTRICTS, EARLY, actors, created, play } from './support.ts';

const snap = (instance: { snapshot: unknown }) => instance.snapshot as ReformTaskSnapshot;

describe('who may see a task', () => {
  const task = snap(created());

  test('given office, leader, reviewer, admin and system, then each sees every task', () => {
    for (const kind of ['office', 'leader', 'reviewer', 'admin', 'system'] as const) expect(visibleTo(actors[kind], task), kind).toBe(true);
  });

  test('given units, then lead, responsible and collective members see it and an unrelated unit does not', () => {
    for (const unit of ['市林草局', '市自然资源局', '各区人民政府', ...DISTRICTS]) expect(visibleTo({ role: 'unit', unit }, task), unit).toBe(true);
    expect(visibleTo(actors.unrelated, task)).toBe(false);
    expect(visibleTo({ role: 'unit', unit: null }, task)).toBe(false);
    expect(visibleTo({ role: 'stranger', unit: '市林草局' }, task)).toBe(false);
  });
});

describe('role rules', () => {
  const task = snap(created());
  const allowed = (kind: keyof typeof actors) => reformTaskEventTypes.filter((type) => authorize(actors[kind], type, task));

  test('then each actor may send exactly its events, in any state', () => {
    expect(allowed('lead')).toEqual(['START', 'PROGRESS', 'REPORT', 'REQUEST_EXTENSION', 'COMMENT', 'RETURN_PART']);
    expect(allowed('responsible')).toEqual(['PROGRESS', 'COMMENT', 'ACKNOWLEDGE_PART', 'PART_PROGRESS', 'PART_DONE']);
    expect(allowed('district')).toEqual(['PROGRESS', 'COMMENT', 'ACKNOWLEDGE_PART', 'PART_PROGRESS', 'PART_DONE']);
    expect(allowed('unrelated')).toEqual([]);
    expect(allowed('office')).toEqual([
      'VERIFY',
      'REJECT',
      'CLOSE',
      'URGE',
      'ESCALATE',
      'RECORD_INTERVIEW',
      'REFER',
      'DECIDE_EXTENSION',
      'REASSIGN',
      'CANCEL',
      'AMEND',
      'COMMENT',
      'RETURN_PART',
    ]);
    expect(allowed('leader')).toEqual(['INSTRUCT']);
    expect(allowed('reviewer')).toEqual([]);
    // A plan's amendments are the admin's too (修订, as its import is); nothing else.
    expect(allowed('admin')).toEqual(['CANCEL', 'AMEND']);
    expect(allowed('system')).toEqual(['ESCALATE', 'WARN', 'DEADLINE_PASSED']);
  });

  test('given a leader role without a person\'s account (a service token), then it may not instruct: a 批示 names its leader', () => {
    expect(authorize({ role: 'leader', unit: null }, 'INSTRUCT', task)).toBe(false);
  });

  test('given an unknown event type, then nobody may send it', () => {
    expect(authorize(actors.office, 'DELETE', task)).toBe(false);
  });

  test('given a member of a collective responsible unit, then it is not a lead unit', () => {
    expect(authorize(actors.district, 'REPORT', task)).toBe(false);
  });
});

describe('tags', () => {
  test('given a new task, then it is tagged by state, light, plan, lead and every party including collective members', () => {
    expect(tags(snap(created())).sort()).toEqual(
      [
        'state:assigned',
        'light:green',
        'plan:karamay-2023-fangguanfu',
        'lead:市林草局',
        'party:市林草局',
        'party:各区人民政府',
        ...DISTRICTS.map((d) => `party:${d}`),
        'party:市自然资源局',
      ].sort(),
    );
  });

  test('given a reassignment, then the tags follow the new lead', () => {
    const task = play(created(), [['REASSIGN', 'office', EARLY, { leadUnits: ['市自然资源局'] }]]);
    const t = tags(snap(task));
    expect(t.filter((x) => x.startsWith('lead:'))).toEqual(['lead:市自然资源局']);
    expect(t).not.toContain('party:市林草局');
  });
});
