import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@duban/engine';
import type { Circular } from '../../src/reports/index.ts';
import { circular, circularHtml, circularMarkdown } from '../../src/reports/index.ts';
import { factsAt, runScenario } from './scenario.ts';
import { periodBounds, periodEnd } from '../../src/time/calendar.ts';

const PLAN_TITLE = '克拉玛依市2023年“放管服”改革工作要点';
const OFFICE = '市推进政府职能转变和“放管服”改革协调领导小组办公室';
const REQUIREMENTS_2_3 = [
  '（二）严格落实信息报送。各牵头单位、责任单位要按月报送任务进展，报送办结须附佐证材料，确保真实、完整、可核验。',
  '（三）强化督办考核。办公室将继续实行红黄绿灯管理，对进展滞后的任务持续督办，适时启动约谈机制，对改革任务落实不力、失职渎职的严肃问责，督办情况纳入日常考核和年度绩效考评。',
];

describe('the circular (通报)', () => {
  let engine: Engine;
  const at = async (period: { from: string; to: string }) => {
    const { tasks, events } = await factsAt(engine, periodEnd(period));
    return circular(period, tasks, events, { planTitle: PLAN_TITLE });
  };
  beforeAll(async () => {
    engine = await runScenario();
  });
  afterAll(() => engine.close());

  it('when the circular of May to August 2023 is made as of the end of 2023-08-31, then it reads in full as written by hand', async () => {
    const text = circularMarkdown(await at({ from: '2023-05-01', to: '2023-08-31' }));

    expect(text).toBe(`# 关于2023年5月至8月“放管服”改革工作推进情况的通报

各区人民政府，市政府各委、办、局，各有关单位：

为推动《克拉玛依市2023年“放管服”改革工作要点》各项任务落实，根据督办考核工作机制，现将2023年5月1日至8月31日改革任务推进情况通报如下：

## 一、总体情况

截至2023年8月31日，纳入督办的改革任务共8项，其中已撤销1项，实际推进7项。已完成3项（已销号1项、已核验2项），完成率42.9%；推进中3项，待核验0项，已交办未启动1项，约谈中0项，已移交问责0项。红灯1项、黄灯1项、绿灯5项，逾期未完成1项。

本期（2023年5月1日至8月31日）新完成3项，督办2次，退回办结报送1次，启动约谈1次，移交问责0次，表扬1次。

## 二、已完成任务

截至2023年8月31日，已完成任务3项：

- 第1项：推动市场准入负面清单事项全部实现网上办理。（牵头单位：市发改委；责任单位：各区人民政府、市级各有关部门；2023年6月25日核验通过，已销号）
- 第2项：全面推行告知承诺制。（牵头单位：市市场监管局；责任单位：市司法局；2023年7月3日核验通过）
- 第7项：清理规范涉企收费项目。（牵头单位：市市场监管局；责任单位：市税务局；2023年6月20日核验通过）

## 三、逾期未完成任务及责任单位

截至2023年8月31日，逾期未完成任务1项：

- 第8项：推行不动产登记“交房即交证”。（牵头单位：市自然资源局；责任单位：市住建局；完成时限：2023年8月15日；已逾期16天，当前状态：已交办）

## 四、表扬单位

对以下按时完成任务或获表扬的牵头单位予以通报表扬：

- 市发改委：第1项按时完成；第1项获表扬。
- 市市场监管局：第2项按时完成。

## 五、通报批评单位

对以下任务逾期未完成、被约谈或移交问责的牵头单位予以通报批评：

- 市司法局：第3项启动约谈（逾期30日未报送办结，自动启动约谈）。
- 市自然资源局：第8项逾期16天未完成。

## 六、下一步工作要求

（一）加快推进任务落实。各牵头单位要对照任务清单，倒排工期、挂图作战，确保按期保质完成；逾期未完成任务的牵头单位要在通报印发后10个工作日内向${OFFICE}书面说明原因，并报送整改措施和完成时限。

${REQUIREMENTS_2_3.join('\n\n')}

${OFFICE}

2023年8月31日
`);
  });

  it('when the circular of September to October 2023 is made, then it reports that period as of the end of 2023-10-31', async () => {
    const c = await at({ from: '2023-09', to: '2023-10' });
    const text = circularMarkdown(c);

    expect(c.title).toBe('关于2023年9月至10月“放管服”改革工作推进情况的通报');
    expect(c.period).toEqual({ from: '2023-09-01', to: '2023-10-31' });
    expect(c.asOf).toBe('2023-10-31T15:59:59.999Z');
    expect(c.sections.overview).toEqual([
      '截至2023年10月31日，纳入督办的改革任务共8项，其中已撤销1项，实际推进7项。已完成4项（已销号1项、已核验3项），完成率57.1%；推进中1项，待核验0项，已交办未启动0项，约谈中1项，已移交问责1项。红灯2项、黄灯0项、绿灯5项，逾期未完成1项。',
      '本期（2023年9月1日至10月31日）新完成1项，督办0次，退回办结报送0次，启动约谈1次，移交问责1次，表扬0次。',
    ]);
    expect(c.sections.instructions).toEqual({
      intro: '本期领导对1项任务作出批示1次，各有关单位要认真抓好落实：',
      items: ['2023年10月28日领导对第5项任务批示：“一件事一次办”要在全市推开。'],
    });
    expect(text).toContain('本期领导对1项任务作出批示1次，各有关单位要认真抓好落实：\n\n- 2023年10月28日领导对第5项任务批示：“一件事一次办”要在全市推开。\n\n## 二、已完成任务');
    expect(c.sections.completed.tasks.map((t) => t.number)).toEqual([1, 2, 4, 7]);
    expect(text).toContain('- 第4项：推行社保业务“静默认证”。（牵头单位：市人社局；责任单位：市财政局；2023年10月25日核验通过）');
    expect(text).toContain('- 第8项：推行不动产登记“交房即交证”。（牵头单位：市自然资源局；责任单位：市住建局；完成时限：2023年8月15日；已逾期77天，当前状态：约谈中）');
    expect(c.sections.commended.units).toEqual([{ unit: '市人社局', reasons: ['第4项按时完成'] }]);
    expect(c.sections.criticised.units).toEqual([
      { unit: '市司法局', reasons: ['第3项移交问责（移交市纪委监委）'] },
      { unit: '市自然资源局', reasons: ['第8项逾期77天未完成', '第8项启动约谈（逾期30日未报送办结，自动启动约谈）'] },
    ]);
    expect(text).toContain('- 市司法局：第3项移交问责（移交市纪委监委）。\n- 市自然资源局：第8项逾期77天未完成；第8项启动约谈（逾期30日未报送办结，自动启动约谈）。');
    expect(text.trimEnd().endsWith(`${OFFICE}\n\n2023年10月31日`)).toBe(true);
  });

  it('when the circular of May 2023 alone is made, then its title names one month and it says 无 where nobody is to be named', async () => {
    const c = await at({ from: '2023-05-01', to: '2023-05-31' });

    expect(c.title).toBe('关于2023年5月“放管服”改革工作推进情况的通报');
    expect(c.sections.completed).toEqual({ intro: '截至2023年5月31日，尚无已完成任务。', tasks: [] });
    expect(c.sections.overdue).toEqual({ intro: '截至2023年5月31日，无逾期未完成任务。', tasks: [] });
    expect(c.sections.commended).toEqual({ intro: '本期无。', units: [] });
    expect(c.sections.criticised).toEqual({ intro: '本期无。', units: [] });
    expect(c.sections.requirements[0]).toBe('（一）加快推进任务落实。各牵头单位要对照任务清单，倒排工期、挂图作战，确保按期保质完成。');
  });

  it('prints as a self-contained Chinese HTML page with every text escaped', async () => {
    const c = await at({ from: '2023-05-01', to: '2023-08-31' });
    const hostile: Circular = {
      ...c,
      sections: { ...c.sections, overdue: { ...c.sections.overdue, tasks: [{ ...c.sections.overdue.tasks[0]!, text: '<script>alert("x")</script> & \'y\'' }] } },
    };

    const html = circularHtml(hostile);

    expect(html.startsWith('<!DOCTYPE html>\n<html lang="zh-CN">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<title>关于2023年5月至8月“放管服”改革工作推进情况的通报</title>');
    expect(html).toContain('<h1>关于2023年5月至8月“放管服”改革工作推进情况的通报</h1>');
    expect(html).toMatch(/<style>[\s\S]*@media print[\s\S]*<\/style>/);
    expect(html).toContain('<h2>三、逾期未完成任务及责任单位</h2>');
    expect(html).toContain('<li>第8项：&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;（牵头单位：市自然资源局；');
    expect(html).toContain('<li>市发改委：第1项按时完成；第1项获表扬。</li>');
    expect(html).toContain(`<p class="signature">${OFFICE}</p>\n<p class="signature">2023年8月31日</p>`);
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/<link|src=|@import|url\(/);
  });

  it('escapes Markdown syntax in task text', async () => {
    const c = await at({ from: '2023-05-01', to: '2023-08-31' });
    const marked: Circular = {
      ...c,
      sections: { ...c.sections, overdue: { ...c.sections.overdue, tasks: [{ ...c.sections.overdue.tasks[0]!, text: '**加粗** [链接](x) <b>' }] } },
    };

    expect(circularMarkdown(marked)).toContain('- 第8项：\\*\\*加粗\\*\\* \\[链接\\](x) \\<b\\>（牵头单位');
  });

  it('resolves periods in Asia/Shanghai and refuses bad ones', () => {
    expect(periodBounds({ from: '2023-05', to: '2023-08' })).toEqual({
      fromDate: '2023-05-01',
      toDate: '2023-08-31',
      start: Date.parse('2023-04-30T16:00:00Z'),
      end: Date.parse('2023-08-31T15:59:59.999Z'),
    });
    expect(periodBounds({ from: '2024-02', to: '2024-02' }).toDate).toBe('2024-02-29');
    expect(() => periodBounds({ from: '2023-09-01', to: '2023-08-31' })).toThrow('period from 2023-09-01 is after to 2023-08-31');
    expect(() => periodBounds({ from: '2023-02-30', to: '2023-08-31' })).toThrow('period from must be YYYY-MM-DD or YYYY-MM');
  });
});
