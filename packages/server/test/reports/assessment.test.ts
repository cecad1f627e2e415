import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@duban/engine';
import type { AssessmentReason, PlanFacts } from '../../src/reports/index.ts';
import { assessUnits, defaultAssessmentRules, parseAssessmentRules } from '../../src/reports/index.ts';
import { DATE_A, DATE_B, factsAt, id, runScenario } from './scenario.ts';

const TEXT: Record<string, string> = {
  'verified-on-time-lead': '牵头任务按时完成并通过核验',
  'verified-on-time-responsible': '配合任务按时完成并通过核验（本单位部分已完成）',
  commendation: '任务销号时获通报表扬',
  'overdue-lead': '牵头任务逾期未完成',
  'overdue-responsible': '配合任务逾期未完成',
  rejected: '报送办结被核验退回',
  urge: '任务被督办',
  interview: '任务推进不力被约谈',
  referral: '任务落实不力移交问责',
};

const reason = (ruleId: string, task: number, points: number, seq: number, at: string, via: string | null = null): AssessmentReason => ({
  ruleId, text: TEXT[ruleId]!, taskId: id(task), taskNumber: task, points, seq, at, via,
});

describe('unit assessment (考核)', () => {
  let engine: Engine;
  let atA: PlanFacts;
  let atB: PlanFacts;
  beforeAll(async () => {
    engine = await runScenario();
    atA = await factsAt(engine, DATE_A);
    atB = await factsAt(engine, DATE_B);
  });
  afterAll(() => engine.close());

  it('when the units are assessed at date A, then every unit is scored, highest first, then by name', () => {
    const assessment = assessUnits(defaultAssessmentRules, atA.tasks, atA.events, DATE_A);

    expect(assessment.rulesVersion).toBe('2023.2');
    expect(assessment.units.map((u) => [u.unit, u.score])).toEqual([
      ['市发改委', 105],
      ['市财政局', 100],
      ['市人社局', 100],
      ['市医保局', 100],
      ['市政务服务和公共资源交易中心', 100],
      ['白碱滩区人民政府', 99],
      ['独山子区人民政府', 99],
      ['克拉玛依区人民政府', 99],
      ['市税务局', 99],
      ['市住建局', 99],
      ['乌尔禾区人民政府', 99],
      ['市市场监管局', 97],
      ['市自然资源局', 96],
      ['市司法局', 91],
    ]);
  });

  it('given units tied on a score at date A, when they are ranked, then they share a rank (并列) and the next rank skips', () => {
    const assessment = assessUnits(defaultAssessmentRules, atA.tasks, atA.events, DATE_A);
    expect(assessment.units.map((u) => `${u.rank} ${u.score}`)).toEqual(['1 105', '2 100', '2 100', '2 100', '2 100', '6 99', '6 99', '6 99', '6 99', '6 99', '6 99', '12 97', '13 96', '14 91']);
  });

  it('when the units are assessed at date A, then every point is traced to a rule, a task and an audit entry', () => {
    const units = new Map(assessUnits(defaultAssessmentRules, atA.tasks, atA.events, DATE_A).units.map((u) => [u.unit, u]));

    expect(units.get('市发改委')!.reasons!).toEqual([
      reason('verified-on-time-lead', 1, 2, 23, '2023-06-25T02:00:00.000Z'),
      reason('commendation', 1, 3, 29, '2023-07-05T02:00:00.000Z'),
    ]);
    // Task 7 went overdue before its (late) report, so its verification earns nothing.
    expect(units.get('市市场监管局')!.reasons!).toEqual([
      reason('overdue-lead', 7, -3, 16, '2023-06-01T01:00:00.000Z'),
      reason('rejected', 2, -2, 20, '2023-06-15T02:00:00.000Z'),
      reason('verified-on-time-lead', 2, 2, 28, '2023-07-03T02:00:00.000Z'),
    ]);
    // Task 2 was verified on time, but 市司法局 never reported its own part done: no credit for it.
    expect(units.get('市司法局')).toMatchObject({ score: 91, gained: 0, lost: -9 });
    expect(units.get('市司法局')!.reasons!).toEqual([
      reason('urge', 3, -1, 25, '2023-06-26T03:00:00.000Z'),
      reason('overdue-lead', 3, -3, 27, '2023-07-01T01:00:00.000Z'),
      reason('interview', 3, -5, 31, '2023-07-31T01:00:00.000Z'),
    ]);
    // Each district answers for 各区人民政府 (no district reported its part of task 1 done, so none is credited
    // its verification); 市级各有关部门 names no one and is not scored.
    expect(units.get('白碱滩区人民政府')!.reasons!).toEqual([reason('overdue-responsible', 3, -1, 27, '2023-07-01T01:00:00.000Z', '各区人民政府')]);
    expect(units.has('各区人民政府')).toBe(false);
    expect(units.has('市级各有关部门')).toBe(false);
    expect(units.get('市自然资源局')!.reasons!).toEqual([
      reason('overdue-lead', 8, -3, 34, '2023-08-16T01:00:00.000Z'),
      reason('urge', 8, -1, 35, '2023-08-20T02:00:00.000Z'),
    ]);
    expect(units.get('市住建局')!.reasons!).toEqual([reason('overdue-responsible', 8, -1, 34, '2023-08-16T01:00:00.000Z')]);
    expect(units.get('市税务局')!.reasons!).toEqual([reason('overdue-responsible', 7, -1, 16, '2023-06-01T01:00:00.000Z')]);
    expect(units.get('市人社局')!.reasons!).toEqual([]);
  });

  it('when the units are assessed at date B, then an extension counts as on time and a referral heavily', () => {
    const assessment = assessUnits(defaultAssessmentRules, atB.tasks, atB.events, DATE_B);
    const units = new Map(assessment.units.map((u) => [u.unit, u]));

    expect(assessment.units.map((u) => [u.unit, u.score])).toEqual([
      ['市发改委', 105],
      ['市人社局', 102],
      ['市财政局', 100],
      ['市医保局', 100],
      ['市政务服务和公共资源交易中心', 100],
      ['市税务局', 99],
      ['市住建局', 99],
      ['白碱滩区人民政府', 98],
      ['独山子区人民政府', 98],
      ['克拉玛依区人民政府', 98],
      ['乌尔禾区人民政府', 98],
      ['市市场监管局', 97],
      ['市自然资源局', 91],
      ['市司法局', 78],
    ]);
    expect(units.get('市人社局')!.reasons!).toEqual([reason('verified-on-time-lead', 4, 2, 46, '2023-10-25T02:00:00.000Z')]);
    expect(units.get('市财政局')!.reasons!).toEqual([]);
    expect(units.get('市司法局')!.reasons!.slice(3)).toEqual([
      reason('overdue-lead', 3, -3, 43, '2023-10-01T01:00:00.000Z'),
      reason('referral', 3, -10, 44, '2023-10-10T02:00:00.000Z'),
    ]);
    expect(units.get('市自然资源局')!.reasons!.at(-1)).toEqual(reason('interview', 8, -5, 41, '2023-09-15T01:00:00.000Z'));
    expect(units.get('乌尔禾区人民政府')!.reasons!.at(-1)).toEqual(reason('overdue-responsible', 3, -1, 43, '2023-10-01T01:00:00.000Z', '各区人民政府'));
  });

  it('when the units are assessed at date B, then each score = base + the points of its reasons', () => {
    for (const u of assessUnits(defaultAssessmentRules, atB.tasks, atB.events, DATE_B).units) {
      expect(u.score).toBe(100 + u.reasons!.reduce((sum, r) => sum + r.points, 0));
    }
  });

  describe('the rules file', () => {
    const file = new URL('../../../../workflows/reform-task/assessment-rules.json', import.meta.url);

    it('is valid and is what the reports use', () => {
      const parsed = parseAssessmentRules(JSON.parse(readFileSync(file, 'utf8')));

      expect(parsed).toEqual(defaultAssessmentRules);
      expect(parsed.base).toBe(100);
      expect(parsed.rules.map((r) => [r.id, r.points])).toEqual([
        ['verified-on-time-lead', 2], ['verified-on-time-responsible', 1], ['commendation', 3], ['overdue-lead', -3],
        ['overdue-responsible', -1], ['rejected', -2], ['urge', -1], ['interview', -5], ['referral', -10], ['unreported-lead', -1], ['unreported-responsible', -0.5],
      ]);
    });

    it('refuses a bad file with every problem and where it is', () => {
      const good = JSON.parse(readFileSync(file, 'utf8'));
      const bad = {
        ...good,
        extra: true,
        rules: [{ ...good.rules[0], points: '2' }, { ...good.rules[1], trigger: 'praise' }, ...good.rules.slice(2)],
      };
      const repeated = { ...good, rules: [...good.rules, good.rules[2]] };

      expect(() => parseAssessmentRules(bad, 'rules.json')).toThrow(/^invalid rules\.json:/);
      const message = (() => { try { parseAssessmentRules(bad, 'rules.json'); return ''; } catch (e) { return (e as Error).message; } })();
      expect(message).toMatch(/rules\[0\]\.points: .*number/);
      expect(message).toMatch(/rules\[1\]\.trigger: /);
      expect(message).toContain('(root): Unrecognized key: "extra"');
      expect(() => parseAssessmentRules(repeated)).toThrow('rules[11].id: duplicate rule id "commendation"');
    });

    it('given a rule changed as data (urge −2), when the units are assessed at date A, then the scores follow it', () => {
      const strict = { ...defaultAssessmentRules, rules: defaultAssessmentRules.rules.map((r) => (r.id === 'urge' ? { ...r, points: -2 } : r)) };

      const units = new Map(assessUnits(strict, atA.tasks, atA.events, DATE_A).units.map((u) => [u.unit, u.score]));

      expect(units.get('市自然资源局')).toBe(95);
      expect(units.get('市司法局')).toBe(90);
    });
  });
});
