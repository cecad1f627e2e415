import { describe, expect, it } from 'vitest';
import { parsePlan } from '../src/parse-plan.ts';
import type { Plan, PlanTask } from '../src/plan-schema.ts';
import { planSchema } from '../src/plan-schema.ts';
import { readFixture } from './read-fixture.ts';

function parseFixture(name: string): Plan {
  const plan = parsePlan(readFixture(name), { source: name });
  expect(planSchema.safeParse(plan).success).toBe(true);
  return plan;
}

/** Units and deadline of each task, the parts of a task most layouts write differently. */
function assignments(plan: Plan): Array<Pick<PlanTask, 'number' | 'leadUnits' | 'responsibleUnits'> & { date: string | null; ongoing: boolean }> {
  return plan.tasks.map((task) => ({
    number: task.number,
    leadUnits: task.leadUnits,
    responsibleUnits: task.responsibleUnits,
    date: task.deadline.date,
    ongoing: task.deadline.ongoing,
  }));
}

describe('layouts of the 工作要点 family', () => {
  it('given units in a bracket at the end of the task, "（牵头单位：X；责任单位：Y）", "〔…，…〕" or 【牵头单位】, then they are read and cut from the text', () => {
    const plan = parseFixture('inline-labelled-brackets.md');
    expect(plan.tasks.map((task) => task.text)).toEqual([
      '推进企业开办全程网办。',
      '推行工程建设项目“一站式”审批。',
      '建立涉企政策“免申即享”清单。',
    ]);
    expect(assignments(plan)).toEqual([
      { number: 1, leadUnits: ['市市场监管局'], responsibleUnits: ['市税务局', '市人社局'], date: '2023-06-30', ongoing: false },
      { number: 2, leadUnits: ['市住建局'], responsibleUnits: ['市自然资源局', '市水务局'], date: '2023-09-30', ongoing: false },
      { number: 3, leadUnits: ['市发改委'], responsibleUnits: ['市财政局'], date: null, ongoing: false },
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('given 配合单位 or 协办单位 instead of 责任单位, then those are the responsible units', () => {
    const plan = parseFixture('supporting-units.md');
    expect(assignments(plan)).toEqual([
      { number: 1, leadUnits: ['市司法局'], responsibleUnits: ['各区人民政府', '市级各有关部门'], date: '2023-10-31', ongoing: false },
      { number: 2, leadUnits: ['市发改委'], responsibleUnits: ['市工信局'], date: '2023-12-31', ongoing: true },
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('given 牵头部门/责任部门/完成时间/时间节点, a trailing 。 or ； after the values, or all labels on one line, then they read as the usual labels', () => {
    const plan = parseFixture('other-label-words.md');
    expect(assignments(plan)).toEqual([
      { number: 1, leadUnits: ['市政务服务中心'], responsibleUnits: ['各区人民政府', '市级各有关部门'], date: '2023-06-30', ongoing: false },
      { number: 2, leadUnits: ['市工信局'], responsibleUnits: ['市政务服务中心'], date: '2023-09-30', ongoing: false },
      { number: 3, leadUnits: ['市市场监管局'], responsibleUnits: ['市税务局'], date: '2023-06-30', ongoing: false },
    ]);
    expect(plan.tasks.map((task) => task.deadline.text)).toEqual(['2023年6月30日前', '2023年第三季度', '2023年6月底前']);
    // "办理时限：" inside a sentence is text, not a label.
    expect(plan.tasks[2]?.text).toBe('压缩企业开办时间，承诺办理时限：1个工作日。');
    expect(plan.warnings).toEqual([]);
  });

  it('given no labels, "（A、B牵头，C按职责分工负责，6月底完成）" or "（C负责）", then 牵头 units lead, others are responsible and a lone 负责 unit leads', () => {
    const plan = parseFixture('unlabelled-brackets.md');
    expect(plan.tasks.map((task) => task.text)).toEqual(['推进行政许可事项清单管理。', '开展涉企违规收费专项整治。', '优化水电气暖报装服务。']);
    expect(assignments(plan)).toEqual([
      { number: 1, leadUnits: ['市司法局', '市政务服务中心'], responsibleUnits: ['各区人民政府'], date: '2024-06-30', ongoing: false },
      { number: 2, leadUnits: ['市市场监管局'], responsibleUnits: [], date: null, ongoing: false },
      { number: 3, leadUnits: ['市住建局'], responsibleUnits: ['市水务局'], date: '2024-12-31', ongoing: false },
    ]);
    expect(plan.tasks[0]?.deadline.text).toBe('6月底完成');
    expect(plan.warnings).toEqual([]);
  });

  it('given deadlines without a year, then the year of the title is used; 全年持续推进/长期坚持 are ongoing without a date', () => {
    const plan = parseFixture('deadlines-without-year.md');
    expect(plan.year).toBe(2024);
    expect(plan.tasks.map((task) => task.deadline)).toEqual([
      { text: '6月底前', date: '2024-06-30', ongoing: false },
      { text: '年底前', date: '2024-12-31', ongoing: false },
      { text: '全年持续推进', date: null, ongoing: true },
      { text: '长期坚持', date: null, ongoing: true },
      { text: '第三季度', date: '2024-09-30', ongoing: false },
      { text: '上半年', date: '2024-06-30', ongoing: false },
      { text: '2月底前', date: '2024-02-29', ongoing: false },
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('given tasks numbered （一）（二） under parts, then they are the tasks, with no measure, and a 保障措施 part gives requirements', () => {
    const plan = parseFixture('chinese-numbered-items.md');
    expect(plan.tasks.map((task) => [task.number, task.part, task.measure, task.text])).toEqual([
      [1, '一、深化简政放权', null, '精简行政审批事项。全面清理行政许可事项。'],
      [2, '一、深化简政放权', null, '推进“证照分离”改革。'],
      [3, '二、加强事中事后监管', null, '推行“双随机、一公开”监管。'],
    ]);
    expect(assignments(plan).map((task) => task.leadUnits)).toEqual([['市政务服务中心'], ['市市场监管局'], ['市市场监管局']]);
    expect(plan.requirements).toEqual([
      '（四）加强组织领导。各单位要高度重视，主要负责同志亲自抓。',
      '（五）强化督查考核。将改革任务纳入年度考核。',
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('given numbering that runs on across parts without measures, then each task keeps its part and no number warning is raised', () => {
    const plan = parseFixture('running-numbering.md');
    expect(plan.tasks.map((task) => [task.number, task.part, task.measure])).toEqual([
      [1, '一、简政放权', null],
      [2, '一、简政放权', null],
      [3, '二、放管结合', null],
      [4, '三、优化服务', null],
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('given ASCII punctuation (":" "," "(" ";"), then it reads as fullwidth, and the text keeps what was written', () => {
    const plan = parseFixture('ascii-punctuation.txt');
    expect(plan.title).toBe('示例市2023年"放管服"改革工作要点');
    expect(plan.tasks.map((task) => [task.measure, task.text])).toEqual([
      ['(一)深化审批制度改革。', '推进审批事项网上办理,压减办理时限。'],
      ['(一)深化审批制度改革。', '推行承诺制审批(试点)。'],
    ]);
    expect(assignments(plan)).toEqual([
      { number: 1, leadUnits: ['市政务服务中心'], responsibleUnits: ['各区人民政府', '市住建局', '市水务局', '市级各有关部门'], date: '2023-06-30', ongoing: false },
      { number: 2, leadUnits: ['市发改委'], responsibleUnits: ['市财政局'], date: '2023-12-31', ongoing: true },
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('given traditional characters (牽頭單位、責任單位、完成時限、負責), then the labels are read and registered units resolve to their names', () => {
    const plan = parseFixture('traditional-characters.txt');
    expect(plan.title).toBe('示例市2023年「放管服」改革工作要點');
    expect(plan.year).toBe(2023);
    expect(assignments(plan)).toEqual([
      { number: 1, leadUnits: ['市发改委'], responsibleUnits: ['各区人民政府', '市财政局'], date: '2023-06-30', ongoing: true },
      { number: 2, leadUnits: ['市自然资源局'], responsibleUnits: [], date: '2023-09-30', ongoing: false },
    ]);
    expect(plan.tasks[0]?.deadline.text).toBe('2023年6月底前並長期堅持');
    expect(plan.warnings).toEqual([]);
  });

  it('given a task with a lead unit only, one with responsible units only and one with no deadline, then each is read and only the task without a lead unit is a warning on its line', () => {
    const plan = parseFixture('partial-units.md');
    expect(assignments(plan)).toEqual([
      { number: 1, leadUnits: ['市发改委'], responsibleUnits: [], date: '2023-06-30', ongoing: false },
      { number: 2, leadUnits: [], responsibleUnits: ['各区人民政府'], date: '2023-06-30', ongoing: false },
      { number: 3, leadUnits: ['市财政局'], responsibleUnits: ['市税务局'], date: null, ongoing: false },
    ]);
    expect(plan.tasks[2]?.deadline).toEqual({ text: '', date: null, ongoing: false });
    expect(plan.warnings).toEqual([{ line: 9, message: '第2项没有写牵头单位（只写了责任单位：各区人民政府）' }]);
  });

  it('given plain text without blank lines, with wrapped task text and wrapped unit lists, then lines are joined as written', () => {
    const plan = parseFixture('plain-text.txt');
    expect(plan.tasks.map((task) => task.text)).toEqual([
      '落实市场准入负面清单，依托自治区一体化政务服务平台，抓紧推动清单事项全部实现网上办理。',
      '提升货运通行效率，对4.5吨以下货车不再细分限行吨位。',
    ]);
    expect(assignments(plan)).toEqual([
      { number: 1, leadUnits: ['市发改委'], responsibleUnits: ['各区人民政府', '市住建局', '市税务局', '市住房公积金管理中心', '市级各有关部门'], date: '2023-06-30', ongoing: false },
      { number: 2, leadUnits: ['市公安局'], responsibleUnits: ['各区人民政府', '市交通局'], date: '2023-12-31', ongoing: false },
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('given Markdown (headings, bold, list markers, block quotes, escaped "1\\."), then the markup is not part of the plan', () => {
    const plan = parseFixture('markdown-formatting.md');
    expect(plan.title).toBe('示例市2023年“放管服”改革工作要点');
    expect(plan.tasks.map((task) => [task.number, task.part, task.measure, task.text])).toEqual([
      [1, '一、持续深化简政放权', '（一）构建公平规范的市场规则。', '落实市场准入负面清单制度。'],
      [2, '一、持续深化简政放权', '（一）构建公平规范的市场规则。', '建立违背市场准入负面清单案例归集制度。'],
      [3, '一、持续深化简政放权', '（一）构建公平规范的市场规则。', '畅通市场主体对隐性壁垒的投诉渠道。'],
    ]);
    expect(assignments(plan).map((task) => task.leadUnits)).toEqual([['市发改委'], ['市市场监管局'], ['市政务服务中心']]);
    expect(plan.tasks[0]?.responsibleUnits).toEqual(['各区人民政府']);
    expect(plan.warnings).toEqual([]);
  });

  it('given a Markdown task table (序号 | 重点任务 | 牵头单位 | 责任单位 | 完成时限), then each row is a task under its part', () => {
    const plan = parseFixture('task-table.md');
    expect(plan.tasks.map((task) => [task.number, task.part, task.text])).toEqual([
      [1, '一、持续深化简政放权', '推进企业开办“一网通办”'],
      [2, '一、持续深化简政放权', '推行工程建设项目联合验收'],
      [3, '二、持续优化政务服务', '建设“15分钟政务服务圈”'],
    ]);
    expect(assignments(plan)).toEqual([
      { number: 1, leadUnits: ['市市场监管局'], responsibleUnits: ['市税务局', '市人社局'], date: '2023-06-30', ongoing: false },
      { number: 2, leadUnits: ['市住建局'], responsibleUnits: ['各区人民政府'], date: '2023-12-31', ongoing: true },
      { number: 3, leadUnits: ['市政务服务中心'], responsibleUnits: ['各区人民政府'], date: '2023-09-30', ongoing: false },
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('given all labels on one line and the issuer and date signed at the end, then the header is read and the signature is no stray text', () => {
    const plan = parseFixture('signed-at-end.md');
    expect(plan).toMatchObject({
      title: '示例市2023年“放管服”改革工作要点',
      issuer: '示例市推进政府职能转变和“放管服”改革协调领导小组办公室',
      issuedOn: '2023-05-10',
      year: 2023,
      requirements: ['各单位要加强组织领导，确保各项任务按期完成。'],
    });
    expect(assignments(plan)).toEqual([
      { number: 1, leadUnits: ['市市场监管局'], responsibleUnits: ['市税务局'], date: '2023-06-30', ongoing: false },
      { number: 2, leadUnits: ['市住建局'], responsibleUnits: ['各区人民政府'], date: '2023-12-31', ongoing: false },
    ]);
    expect(plan.warnings).toEqual([]);
  });

  it('given items numbered "1、" or "１．", parts written "第一部分", and a seal written "(代章)", then they read as usual', () => {
    const plan = parsePlan([
      '示例市2023年“放管服”改革工作要点',
      '第一部分 简政放权',
      '1、推进网上办理。',
      '牵头单位：市发改委',
      '２．推进掌上办理。',
      '牵头单位：市财政局',
      '市推进政府职能转变和“放管服”改革协调领导小组办公室(代章)',
      '2023年5月10日',
    ].join('\n'));
    expect(plan.tasks.map((task) => [task.number, task.part, task.text, task.leadUnits])).toEqual([
      [1, '第一部分 简政放权', '推进网上办理。', ['市发改委']],
      [2, '第一部分 简政放权', '推进掌上办理。', ['市财政局']],
    ]);
    expect(plan.issuer).toBe('示例市推进政府职能转变和“放管服”改革协调领导小组办公室');
    expect(plan.warnings).toEqual([]);
  });

  it('given what cannot be read, then each problem is a warning on its line and the tasks are still kept', () => {
    const plan = parseFixture('unreadable-parts.md');
    expect(plan.tasks.map((task) => task.number)).toEqual([1, 2, 4, 4]);
    expect(plan.warnings.map((warning) => warning.line)).toEqual([5, 7, 11, 13, 17, 21]);
    const [orphanLabel, noUnits, badDeadline, skipped, repeated, strayText] = plan.warnings.map((warning) => warning.message);
    expect(orphanLabel).toContain('前面没有编号任务');
    expect(noUnits).toContain('第1项没有写牵头单位或责任单位');
    expect(badDeadline).toContain('无法识别完成时限“尽快”');
    expect(skipped).toContain('2之后是4');
    expect(repeated).toContain('任务编号4重复');
    expect(strayText).toContain('无法归属的文字：“注：本项由市司法局统筹。”');
    expect(plan.tasks[1]?.deadline).toEqual({ text: '尽快', date: null, ongoing: false });
  });
});
