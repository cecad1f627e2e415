import { describe, expect, it } from 'vitest';
import { assertHasTasks } from '../src/assert-has-tasks.ts';
import { repositoryUnits } from '../src/repository-units.ts';
import { parsePlan } from '../src/parse-plan.ts';
import { PlanInputError } from '../src/plan-input-error.ts';
import { readDataFile, readFixture } from './read-fixture.ts';

describe('a document with no task', () => {
  it('given a notice with no numbered task, when parsed, then tasks are [] and a warning explains what a task looks like', () => {
    const plan = parsePlan(readFixture('no-tasks.md'), { source: 'no-tasks.md' });
    expect(plan.tasks).toEqual([]);
    expect(plan.warnings).toContainEqual({
      line: 1,
      message: 'no-tasks.md：未找到任何任务：应为编号条目（如“1.”或“（一）”）后跟牵头单位/责任单位/完成时限',
    });
  });

  it('given such a plan, when asserted to have tasks, then a PlanInputError with a Chinese and English message is thrown', () => {
    const plan = parsePlan(readFixture('no-tasks.md'));
    expect(() => assertHasTasks(plan, 'no-tasks.md')).toThrow(PlanInputError);
    try {
      assertHasTasks(plan, 'no-tasks.md');
    } catch (error) {
      expect(error).toBeInstanceOf(PlanInputError);
      expect((error as PlanInputError).code).toBe('no-tasks');
      expect((error as PlanInputError).message).toMatch(/^no-tasks\.md：未找到任何任务：应为编号条目（如“1\.”或“（一）”）后跟牵头单位\/责任单位\/完成时限 \/ no task found/);
    }
  });

  it('given the empty string, when parsed, then it is an empty plan with that warning', () => {
    const plan = parsePlan('');
    expect(plan).toMatchObject({ title: '', issuer: null, issuedOn: null, year: null, tasks: [], requirements: [] });
    expect(plan.warnings).toHaveLength(1);
  });

  it('given the Karamay plan, when asserted to have tasks, then nothing is thrown', () => {
    expect(() => assertHasTasks(parsePlan(readDataFile('plans/karamay-2023-fangguanfu.md'), { units: repositoryUnits }))).not.toThrow();
  });
});
