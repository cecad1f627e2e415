import { describe, expect, it } from 'vitest';
import { repositoryUnits } from '../src/repository-units.ts';
import { parsePlan } from '../src/parse-plan.ts';
import type { PlanTask } from '../src/plan-schema.ts';
import { planSchema } from '../src/plan-schema.ts';
import { readDataFile } from './read-fixture.ts';

// Given the Karamay 2023 plan as checked in
const plan = parsePlan(readDataFile('plans/karamay-2023-fangguanfu.md'), { units: repositoryUnits });

function task(number: number): PlanTask {
  const found = plan.tasks.find((candidate) => candidate.number === number);
  if (!found) throw new Error(`task ${number} not parsed`);
  return found;
}

function countBy(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

describe('the Karamay 2023 放管服 plan', () => {
  it('when parsed, then it reads the header: title, issuer without （代章）, date of issue and year', () => {
    expect(plan.title).toBe('克拉玛依市2023年“放管服”改革工作要点');
    expect(plan.issuer).toBe('克拉玛依市推进政府职能转变和“放管服”改革协调领导小组办公室');
    expect(plan.issuedOn).toBe('2023-05-10');
    expect(plan.year).toBe(2023);
  });

  it('when parsed, then it has 71 tasks numbered 1 to 71 in order, with no warning', () => {
    expect(plan.tasks.map((found) => found.number)).toEqual(Array.from({ length: 71 }, (_, index) => index + 1));
    expect(plan.warnings).toEqual([]);
  });

  it('when saved with a BOM and CRLF line ends, then it parses to the same plan', () => {
    const windows = `\ufeff${readDataFile('plans/karamay-2023-fangguanfu.md').replace(/\n/g, '\r\n')}`;
    expect(parsePlan(windows, { units: repositoryUnits })).toEqual(plan);
  });

  it('when parsed, then the output satisfies the strict Plan JSON schema', () => {
    expect(planSchema.parse(plan)).toEqual(plan);
  });

  it('when parsed, then tasks sit under parts 一 to 三 (25, 15 and 31 tasks)', () => {
    expect(countBy(plan.tasks.map((found) => found.part ?? ''))).toEqual({
      '一、持续深化简政放权': 25,
      '二、不断创新监管机制': 15,
      '三、持续优化政务服务': 31,
    });
    expect(task(25).part).toBe('一、持续深化简政放权');
    expect(task(26).part).toBe('二、不断创新监管机制');
    expect(task(41).part).toBe('三、持续优化政务服务');
  });

  it('when parsed, then every task carries its measure heading line, （一） to （二十二） in order', () => {
    const measures = [...new Set(plan.tasks.map((found) => found.measure))];
    const numerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十', '二十一', '二十二'];
    expect(measures).toHaveLength(22);
    measures.forEach((measure, index) => expect(measure?.startsWith(`（${numerals[index]}）`)).toBe(true));
    expect(task(2).measure).toBe('（二）深入推进行政审批制度改革。');
    expect(task(9).measure).toBe('（二）深入推进行政审批制度改革。');
    expect(task(10).measure).toBe('（三）加快制度文件的立改废释。');
    expect(task(32).measure).toBe('（十）针对企业和群众反映强烈、侵权假冒多发的重点领域，进一步加大执法力度，严厉打击商标侵权、假冒专利等违法行为。');
    expect(task(71).measure).toBe('（二十二）落实社保和就业各项政策措施，加强和创新社会救助，兜牢基本民生底线。');
  });

  it('when parsed, then section 四 （二十三）–（二十五） are requirements with their full paragraph, not tasks', () => {
    expect(plan.requirements).toHaveLength(3);
    expect(plan.requirements[0]).toBe('（二十三）加强组织领导。严格落实市“放管服”改革协调领导小组及办公室工作规则，强化协调领导小组及办公室的组织协调、统筹指导和督查落实职能，定期召开协调领导小组会议，听取情况汇报，安排部署重点工作，研究解决重点难点问题。');
    expect(plan.requirements[1]?.startsWith('（二十四）完善工作机制。建立健全工作推进')).toBe(true);
    expect(plan.requirements[2]?.startsWith('（二十五）强化督促落实。')).toBe(true);
    expect(plan.requirements[2]?.endsWith('以考核促规范、促落实。')).toBe(true);
    expect(plan.tasks.some((found) => found.text.includes('加强组织领导'))).toBe(false);
  });

  it('when parsed, then task 1 is read whole: number on its own line, "X等市级各有关部门" split, 并长期坚持 ongoing', () => {
    expect(task(1)).toEqual({
      number: 1,
      part: '一、持续深化简政放权',
      measure: '（一）构建公平规范的市场规则。',
      text: '落实《市场准入负面清单（2022）年版》，依托自治区一体化政务服务平台，抓紧推动清单事项全部实现网上办理，建立健全违背市场准入负面清单案例归集和通报制度，进一步畅通市场主体对隐性壁垒的投诉渠道，健全处理回应机制。',
      leadUnits: ['市发改委'],
      responsibleUnits: ['各区人民政府', '市政务服务和公共资源交易中心', '市级各有关部门'],
      deadline: { text: '2023年6月底前并长期坚持', date: '2023-06-30', ongoing: true },
    });
  });

  it('when parsed, then task 8 (number inline with its text) has two lead units', () => {
    expect(task(8).text).toBe('优化建设项目使用林、草地审批管理，制定克拉玛依市权限内林草地融合审批可行性报告规范，针对同一宗项目用地开展融合审批。');
    expect(task(8).leadUnits).toEqual(['市林草局', '市自然资源局']);
    expect(task(8).responsibleUnits).toEqual(['各区人民政府']);
  });

  it('when parsed, then task 31 has two lead units', () => {
    expect(task(31).leadUnits).toEqual(['市发改委', '市市场监管局']);
  });

  it('when parsed, then task 48, broken over two lines, is joined without adding a character', () => {
    expect(task(48).text).toBe(
      '围绕企业从设立到注销、个人从出生到身后的全生命周期，推动关联性强、办事需求量大、企业和群众获得感强的多个跨部门、跨层级政务服务事项集成化办理，提供主题式、套餐式服务。全力做好' +
        '“出生一件事”“入学一件事”“婚育一件事”“涉企不动产登记一件事”“员工录用一件事”等18个“一件事”工作的落地运行。',
    );
  });

  it('when parsed, then task 67, which has no 责任单位 line, has no responsible units', () => {
    expect(task(67).leadUnits).toEqual(['市医保局']);
    expect(task(67).responsibleUnits).toEqual([]);
  });

  it('when parsed, then "A、B、C等市级各有关部门" gives each unit plus the collective, with aliases resolved', () => {
    expect(task(17).responsibleUnits).toEqual(['各区人民政府', '市住建局', '市税务局', '市住房公积金管理中心', '市级各有关部门']);
  });

  it('when parsed, then 、 separates units as ， does', () => {
    expect(task(29).responsibleUnits).toEqual(['各区人民政府', '市级各有关部门']);
  });

  it('when parsed, then a date inside the task text (task 45: 2023年3月底前) is not its deadline', () => {
    expect(task(45).text).toContain('2023年3月底前，梳理80种以上电子证照共享事项清单');
    expect(task(45).deadline).toEqual({ text: '2023年12月底前', date: '2023-12-31', ongoing: false });
    expect(task(71).text.startsWith('2022年3月前阶段性调整价格补贴联动机制')).toBe(true);
    expect(task(71).deadline.date).toBe('2023-12-31');
  });

  it('when parsed, then there are 20 distinct lead units', () => {
    const leads = new Set(plan.tasks.flatMap((found) => found.leadUnits));
    expect([...leads].sort()).toEqual([
      '中国人民银行克拉玛依市中心支行', '市人社局', '市住建局', '市住房公积金管理中心', '市公安局',
      '市医保局', '市发改委', '市司法局', '市商务局', '市工信局', '市市场监管局',
      '市政务服务和公共资源交易中心', '市教育局', '市林草局', '市民政局', '市水务局', '市税务局',
      '市科技局', '市自然资源局', '市财政局',
    ].sort());
  });

  it('when parsed, then deadlines fall May 4, June 22, August 2, September 1, November 3, December 39', () => {
    const byMonth = countBy(plan.tasks.map((found) => found.deadline.date?.slice(0, 7) ?? 'none'));
    expect(byMonth).toEqual({ '2023-05': 4, '2023-06': 22, '2023-08': 2, '2023-09': 1, '2023-11': 3, '2023-12': 39 });
    const isMonthEnd = (date: string): boolean => {
      const [year = 0, month = 0, day = 0] = date.split('-').map(Number);
      return new Date(Date.UTC(year, month, 0)).getUTCDate() === day;
    };
    expect(plan.tasks.every((found) => found.deadline.date !== null && isMonthEnd(found.deadline.date))).toBe(true);
  });

  it('when parsed, then 8 tasks are ongoing (并长期坚持), each also keeping its date', () => {
    const ongoing = plan.tasks.filter((found) => found.deadline.ongoing);
    expect(ongoing.map((found) => found.number)).toEqual([1, 3, 34, 43, 44, 57, 62, 63]);
    expect(ongoing.every((found) => found.deadline.text.endsWith('并长期坚持') && found.deadline.date !== null)).toBe(true);
  });
});
