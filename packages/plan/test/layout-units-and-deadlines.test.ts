import { describe, expect, it } from 'vitest';
import { parsePlan, parsePlanText } from '../src/parse-plan.ts';
import type { Plan } from '../src/plan-schema.ts';
import { planSchema } from '../src/plan-schema.ts';

function parse(...lines: string[]): Plan {
  const plan = parsePlan(['示例县2023年“放管服”改革工作要点', ...lines].join('\n'));
  expect(planSchema.safeParse(plan).success).toBe(true);
  return plan;
}

const units = (plan: Plan) => plan.tasks.map((task) => [task.number, task.leadUnits, task.responsibleUnits]);

describe('layouts: where units and deadlines are written', () => {
  it('given "县市场监管局（牵头）" among the responsible units, in either bracket width, then it is a lead unit without the mark', () => {
    const plan = parse('一、重点任务', '1. 推进企业开办全程网办。', '责任单位：县市场监管局（牵头）、县税务局', '2. 推进掌上办。', '责任单位：县人社局、县医保局(牵头)');
    expect(units(plan)).toEqual([[1, ['县市场监管局'], ['县税务局']], [2, ['县医保局'], ['县人社局']]]);
    expect(plan.warnings).toEqual([]);
  });

  it('given a deadline as the last clause inside a labelled units bracket, then it is the deadline and no unit', () => {
    const plan = parse('一、重点任务', '1. 推进改革。（牵头单位：市发改委；责任单位：市财政局，2023年6月底前完成）');
    expect(units(plan)).toEqual([[1, ['市发改委'], ['市财政局']]]);
    expect(plan.tasks[0]?.deadline).toEqual({ text: '2023年6月底前完成', date: '2023-06-30', ongoing: false });
    expect(plan.warnings).toEqual([]);
  });

  it('given a deadline only inside the sentence, then it is read from there and the sentence is kept whole', () => {
    const plan = parse('一、重点任务', '1. 建成政务服务平台，9月底前上线运行。', '牵头单位：市政务服务中心');
    expect(plan.tasks[0]?.text).toBe('建成政务服务平台，9月底前上线运行。');
    expect(plan.tasks[0]?.deadline).toEqual({ text: '9月底前上线', date: '2023-09-30', ongoing: false });
  });

  it('given unlabelled units on a line of their own, or as the last sentence of the task, then 牵头 units lead and 配合/按职责分工负责 units are responsible', () => {
    const plan = parse(
      '一、重点任务',
      '1. 推进改革。',
      '市发改委、市财政局牵头，各区人民政府按职责分工负责。',
      '2. 推进网办。市政务服务中心牵头，市大数据中心配合。',
    );
    expect(plan.tasks.map((task) => task.text)).toEqual(['推进改革。', '推进网办。']);
    expect(units(plan)).toEqual([[1, ['市发改委', '市财政局'], ['各区人民政府']], [2, ['市政务服务中心'], ['市大数据中心']]]);
    expect(plan.warnings).toEqual([]);
  });

  it('given a sentence that only mentions a unit with 牵头, then it stays text and the task has no units', () => {
    const plan = parse('一、重点任务', '1. 建立工作机制。各部门要按职责分工负责。');
    expect(plan.tasks[0]?.text).toBe('建立工作机制。各部门要按职责分工负责。');
    expect(plan.warnings).toEqual([{ line: 3, message: '第1项没有写牵头单位或责任单位' }]);
  });

  it('given a clause of the sentence in a unit list, then it is no unit and is a warning on its line', () => {
    const plan = parse('一、重点任务', '1. 推进改革。', '牵头单位：市发改委', '责任单位：市财政局，确保按期完成各项任务');
    expect(units(plan)).toEqual([[1, ['市发改委'], ['市财政局']]]);
    expect(plan.warnings).toEqual([{ line: 5, message: '第1项的“责任单位”中“确保按期完成各项任务”不像单位名称，未作为单位' }]);
  });

  it('given a task with responsible units and no lead unit, then the task is kept with a warning naming it on its line', () => {
    const plan = parse('一、重点任务', '1. 推进改革。', '责任单位：市财政局');
    expect(units(plan)).toEqual([[1, [], ['市财政局']]]);
    expect(plan.warnings).toEqual([{ line: 3, message: '第1项没有写牵头单位（只写了责任单位：市财政局）' }]);
  });
});

describe('layouts: how tasks are numbered', () => {
  it('given tasks numbered （1）（2）, then they are the tasks', () => {
    const plan = parse('一、重点任务', '(1) 推进开办。', '牵头单位：市发改委', '（2）推进网办。', '牵头单位：市财政局');
    expect(plan.tasks.map((task) => [task.number, task.part, task.text])).toEqual([[1, '一、重点任务', '推进开办。'], [2, '一、重点任务', '推进网办。']]);
    expect(plan.warnings).toEqual([]);
  });

  it('given points numbered （1）（2） inside a "1." task, then they are that task\'s text', () => {
    const plan = parse('一、重点任务', '1. 推进两项改革：', '（1）开办网办；', '（2）证照分离。', '牵头单位：市发改委', '2. 推进网办。', '牵头单位：市财政局');
    expect(plan.tasks.map((task) => [task.number, task.text])).toEqual([[1, '推进两项改革：（1）开办网办；（2）证照分离。'], [2, '推进网办。']]);
    expect(plan.warnings).toEqual([]);
  });

  it('given tasks numbered 一、二、 with their units under each, then each part is a task', () => {
    const plan = parse('一、推进企业开办全程网办。', '牵头单位：县市场监管局', '完成时限：6月底前', '二、推行告知承诺制。（县司法局牵头，县直各部门配合）');
    expect(plan.tasks.map((task) => [task.number, task.part, task.measure, task.text])).toEqual([
      [1, null, null, '推进企业开办全程网办。'],
      [2, null, null, '推行告知承诺制。'],
    ]);
    expect(units(plan)).toEqual([[1, ['县市场监管局'], []], [2, ['县司法局'], ['县直各部门']]]);
    expect(plan.warnings).toEqual([]);
  });

  it('given （一） tasks whose numbering runs on across parts, then each keeps its part and no number warning is raised', () => {
    const plan = parse('一、简政放权', '（一）推进开办。', '牵头单位：市发改委', '（二）推行承诺制。', '牵头单位：市司法局', '二、优化服务', '（三）推进网办。', '牵头单位：市财政局');
    expect(plan.tasks.map((task) => [task.number, task.part])).toEqual([[1, '一、简政放权'], [2, '一、简政放权'], [3, '二、优化服务']]);
    expect(plan.warnings).toEqual([]);
  });
});

describe('unknown units', () => {
  it('given units the registry does not know, then each is listed once with every line that names it', () => {
    const { unknownUnits } = parsePlanText(['示例县2023年工作要点', '一、重点任务', '1. 推进改革。', '牵头单位：县发改委', '2. 推进网办。', '牵头单位：县发改委、市财政局'].join('\n'));
    expect(unknownUnits).toEqual([{ name: '县发改委', lines: [4, 6] }]);
  });
});
