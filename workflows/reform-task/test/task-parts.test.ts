import { Forbidden, InvalidPayload, TransitionNotAllowed, allowedEvents, step } from '@duban/engine';
import { describe, expect, test } from 'vitest';
import { isPartHolder, light, partLight, partUnits, reformTaskV1, taskParts } from '../src/index.ts';
import { DEADLINE, DISTRICTS, EARLY, actors, contextOf, created, play, taskInput } from './support.ts';

const t = (minutes: number) => EARLY + minutes * 60_000;

describe('each unit’s own part of a task', () => {
  test('given a task led by 市林草局 with 各区人民政府 and 市自然资源局 responsible, then each district government and 市自然资源局 has a part, the lead and the collective’s name none', () => {
    expect(partUnits(taskInput())).toEqual(['独山子区人民政府', '克拉玛依区人民政府', '白碱滩区人民政府', '乌尔禾区人民政府', '市自然资源局']);
  });

  test('given 市级各有关部门 among the responsible units, then it holds no part: the wording names no unit that could act for it', () => {
    expect(partUnits(taskInput({ responsibleUnits: ['各区人民政府', '市级各有关部门', '市财政局'] }))).toEqual([
      '独山子区人民政府',
      '克拉玛依区人民政府',
      '白碱滩区人民政府',
      '乌尔禾区人民政府',
      '市财政局',
    ]);
  });

  test('given a fresh task, then it stores no parts and every part reads assigned', () => {
    const task = created();
    expect(contextOf(task).parts).toBeUndefined();
    expect(taskParts(contextOf(task)).map((part) => part.state)).toEqual(['assigned', 'assigned', 'assigned', 'assigned', 'assigned']);
  });

  test('given an unsigned task, when a district acknowledges, reports twice and finishes its part, then its part moves assigned → acknowledged → reporting → done while the task stays assigned', () => {
    const task = play(created(), [
      ['ACKNOWLEDGE_PART', 'district', t(1)],
      ['PART_PROGRESS', 'district', t(2), { summary: '已摸底', percent: 30 }],
      ['PART_PROGRESS', 'district', t(3), { summary: '已下放' }],
      ['PART_DONE', 'district', t(4), { summary: '全部下放到位' }],
    ]);
    expect(task.snapshot.value).toBe('assigned');
    const district = taskParts(contextOf(task)).find((part) => part.unit === '白碱滩区人民政府');
    expect(district).toEqual({
      unit: '白碱滩区人民政府',
      state: 'done',
      percent: 100,
      progressReports: 2,
      lastProgress: { summary: '已下放', percent: null, at: t(3) },
      acknowledgedAt: t(1),
      doneAt: t(4),
      doneSummary: '全部下放到位',
      returnedReason: null,
    });
    expect(Object.keys(contextOf(task).parts ?? {})).toEqual(['白碱滩区人民政府']);
  });

  test('given two districts reporting, when each gives its percent, then neither overwrites the other', () => {
    const task = play(created(), [
      ['START', 'lead', t(1)],
      ['PART_PROGRESS', 'district', t(2), { summary: '白碱滩区', percent: 40 }],
    ]);
    const after = step(reformTaskV1, task, 'PART_PROGRESS', { summary: '独山子区', percent: 30 }, { role: 'unit', unit: '独山子区人民政府' }, t(3));
    expect(after.ok).toBe(true);
    if (!after.ok) return;
    const parts = taskParts(after.step.snapshot.context as ReturnType<typeof contextOf>);
    expect(parts.map((part) => [part.unit, part.percent])).toEqual([
      ['独山子区人民政府', 30],
      ['克拉玛依区人民政府', null],
      ['白碱滩区人民政府', 40],
      ['乌尔禾区人民政府', null],
      ['市自然资源局', null],
    ]);
  });

  test('given a part already acknowledged, when it is acknowledged again, then the state refuses it (409) and nothing changes', () => {
    const task = play(created(), [['ACKNOWLEDGE_PART', 'district', t(1)]]);
    const result = step(reformTaskV1, task, 'ACKNOWLEDGE_PART', {}, actors.district, t(2));
    expect(result.ok === false && result.error instanceof TransitionNotAllowed).toBe(true);
  });

  test('given a part done, when its unit reports progress or done again, then the state refuses both; another unit’s part is still open', () => {
    const task = play(created(), [['PART_DONE', 'district', t(1), { summary: '完成' }]]);
    for (const type of ['PART_PROGRESS', 'PART_DONE'] as const) {
      const result = step(reformTaskV1, task, type, { summary: '再报' }, actors.district, t(2));
      expect(result.ok === false && result.error instanceof TransitionNotAllowed, type).toBe(true);
    }
    expect(allowedEvents(reformTaskV1, task.snapshot, actors.district, t(2))).not.toContain('PART_PROGRESS');
    expect(allowedEvents(reformTaskV1, task.snapshot, actors.responsible, t(2))).toContain('PART_PROGRESS');
  });

  test('given the lead unit, an unrelated unit and the office, when each reports a part, then each is forbidden (403): only a unit with a part acts on it', () => {
    const task = created();
    for (const actor of [actors.lead, actors.unrelated, actors.office, { role: 'unit' as const, unit: '各区人民政府' }]) {
      const result = step(reformTaskV1, task, 'PART_PROGRESS', { summary: '代报' }, actor, t(1));
      expect(result.ok === false && result.error instanceof Forbidden, String(actor.unit)).toBe(true);
    }
  });

  test('given a closed task, when a district reports its part, then the state refuses it (409)', () => {
    const task = play(created(), [
      ['START', 'lead', t(1)],
      ['REPORT', 'lead', t(2)],
      ['VERIFY', 'office', t(3)],
      ['CLOSE', 'office', t(4)],
    ]);
    const result = step(reformTaskV1, task, 'PART_PROGRESS', { summary: '补报' }, actors.district, t(5));
    expect(result.ok === false && result.error instanceof TransitionNotAllowed).toBe(true);
  });

  test('given an overdue task where one district finished its part, then that part’s light is green and every other part is red like the task', () => {
    const task = play(created(), [
      ['START', 'lead', t(1)],
      ['PART_DONE', 'district', t(2), { summary: '完成' }],
      ['DEADLINE_PASSED', 'system', DEADLINE],
    ]);
    const snapshot = task.snapshot as Parameters<typeof light>[0];
    expect(light(snapshot)).toBe('red');
    expect(taskParts(contextOf(task)).map((part) => [part.unit, partLight(snapshot, part)])).toEqual([
      ['独山子区人民政府', 'red'],
      ['克拉玛依区人民政府', 'red'],
      ['白碱滩区人民政府', 'green'],
      ['乌尔禾区人民政府', 'red'],
      ['市自然资源局', 'red'],
    ]);
  });

  test('given a cancelled task, then no part has a light', () => {
    const task = play(created(), [['PART_DONE', 'district', t(1), { summary: '完成' }], ['CANCEL', 'office', t(2)]]);
    const snapshot = task.snapshot as Parameters<typeof light>[0];
    expect(new Set(taskParts(contextOf(task)).map((part) => partLight(snapshot, part)))).toEqual(new Set(['none']));
  });

  test('given tasks of several shapes, then isPartHolder admits exactly the units partUnits lists', () => {
    const inputs = [
      taskInput(),
      taskInput({ leadUnits: ['市林草局', '白碱滩区人民政府'], responsibleUnits: ['各区人民政府', '市级各有关部门'] }),
      taskInput({ responsibleUnits: ['市林草局', '市财政局'] }),
    ];
    const units = ['市林草局', '市自然资源局', '市财政局', '各区人民政府', '市级各有关部门', '市卫健委', ...DISTRICTS];
    for (const input of inputs) {
      for (const unit of units) expect(isPartHolder(input, { role: 'unit', unit }), `${unit} on ${input.leadUnits.join()}`).toBe(partUnits(input).includes(unit));
      expect(isPartHolder(input, actors.office)).toBe(false);
    }
  });

  test('given a district’s part done, when the lead returns it, then it is reporting again with the reason and its last percent; a part not done or no unit’s part is refused (422) naming unit', () => {
    const task = play(created(), [
      ['START', 'lead', t(1)],
      ['PART_PROGRESS', 'district', t(2), { summary: '过半', percent: 60 }],
      ['PART_DONE', 'district', t(3), { summary: '完成' }],
    ]);
    const notDone = step(reformTaskV1, task, 'RETURN_PART', { unit: '市自然资源局', reason: '补充' }, actors.lead, t(4));
    expect(notDone.ok === false && notDone.error instanceof InvalidPayload && notDone.error.issues.map((i) => i.path)).toEqual(['unit']);
    const noPart = step(reformTaskV1, task, 'RETURN_PART', { unit: '市林草局', reason: '补充' }, actors.office, t(4));
    expect(noPart.ok === false && noPart.error instanceof InvalidPayload && noPart.error.issues.map((i) => i.path)).toEqual(['unit']);
    const returned = play(task, [['RETURN_PART', 'lead', t(4), { unit: '白碱滩区人民政府', reason: '佐证材料不足' }]]);
    const part = taskParts(contextOf(returned)).find((p) => p.unit === '白碱滩区人民政府');
    expect(part).toMatchObject({ state: 'reporting', percent: 60, doneAt: null, returnedReason: '佐证材料不足' });
    expect(contextOf(returned).parts?.['白碱滩区人民政府']?.lastReturn).toEqual({ reason: '佐证材料不足', at: t(4), by: '市林草局' });
    // Reporting again, the district may finish its part once more.
    expect(allowedEvents(reformTaskV1, returned.snapshot, actors.district, t(5))).toContain('PART_DONE');
  });

  test('given no part done, when the lead returns one, then the state refuses it (409): there is nothing to return', () => {
    const result = step(reformTaskV1, created(), 'RETURN_PART', { unit: '白碱滩区人民政府', reason: '补充' }, actors.lead, t(1));
    expect(result.ok === false && result.error instanceof TransitionNotAllowed).toBe(true);
  });

  test('given a district, when it returns another district’s part, then it is forbidden (403): only the lead unit or the office return parts', () => {
    const task = play(created(), [['PART_DONE', 'district', t(1), { summary: '完成' }]]);
    const result = step(reformTaskV1, task, 'RETURN_PART', { unit: '白碱滩区人民政府', reason: '补充' }, { role: 'unit', unit: '独山子区人民政府' }, t(2));
    expect(result.ok === false && result.error instanceof Forbidden).toBe(true);
  });
});
