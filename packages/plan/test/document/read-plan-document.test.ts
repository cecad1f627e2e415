import { describe, expect, it } from 'vitest';
import { readPlanDocument } from '../../src/document/read-plan-document.ts';
import { PlanInputError } from '../../src/plan-input-error.ts';
import type { PlanDocument } from '../../src/document/read-plan-document.ts';
import { excelFile, wordFile } from './plan-files.ts';

const TITLE = '示例市2023年“放管服”改革工作要点';
const read = (bytes: Uint8Array, fileName: string): Promise<PlanDocument> => readPlanDocument({ bytes, fileName });
const assignments = ({ plan }: PlanDocument) => plan.tasks.map((task) => [task.number, task.text, task.leadUnits, task.responsibleUnits, task.deadline.date]);

describe('readPlanDocument: Word', () => {
  it('given a .docx of numbered paragraphs with labels, when read, then its tasks are read and a warning names its paragraph', async () => {
    const bytes = await wordFile([TITLE, '一、持续深化简政放权', '1. 推进企业开办全程网办。', '牵头单位：市市场监管局', '责任单位：市税务局', '完成时限：2023年6月底前', '2. 推行告知承诺制。', '责任单位：市司法局', '完成时限：尽快']);
    const document = await read(bytes, '示例市2023年工作要点.docx');
    expect(document.format).toBe('docx');
    expect(document.plan.title).toBe(TITLE);
    expect(assignments(document)).toEqual([
      [1, '推进企业开办全程网办。', ['市市场监管局'], ['市税务局'], '2023-06-30'],
      [2, '推行告知承诺制。', [], ['市司法局'], null],
    ]);
    expect(document.plan.warnings).toEqual([
      { line: 7, message: '第2项没有写牵头单位（只写了责任单位：市司法局）', where: '第7段' },
      { line: 9, message: '第2项：无法识别完成时限“尽快”', where: '第9段' },
    ]);
  });

  it('given a .docx whose tasks are a Word table with the lead unit merged down two rows, when read, then each row is a task with that lead unit', async () => {
    const bytes = await wordFile([
      TITLE,
      '一、持续深化简政放权',
      { rows: [
        ['序号', '重点任务', '牵头单位', '责任单位', '完成时限'],
        ['1', '推进企业开办全程网办', { text: '市市场监管局', rowSpan: 2 }, '市税务局、市人社局', '2023年6月底前'],
        ['2', '推行证照分离改革', '各区人民政府', '年底前'],
      ] },
    ]);
    const document = await read(bytes, 'plan.docx');
    expect(assignments(document)).toEqual([
      [1, '推进企业开办全程网办', ['市市场监管局'], ['市税务局', '市人社局'], '2023-06-30'],
      [2, '推行证照分离改革', ['市市场监管局'], ['各区人民政府'], '2023-12-31'],
    ]);
    expect(document.plan.tasks.map((task) => task.part)).toEqual(['一、持续深化简政放权', '一、持续深化简政放权']);
    expect(document.plan.warnings).toEqual([]);
  });

  it('given a .docx naming a unit the registry does not know, when read, then it is listed with its line and is a warning there', async () => {
    const document = await read(await wordFile([TITLE, '一、重点任务', '1. 推进改革。', '牵头单位：县发改委']), 'plan.docx');
    expect(document.unknownUnits).toEqual([{ name: '县发改委', lines: [4] }]);
    expect(document.plan.warnings).toEqual([{ line: 4, message: '单位“县发改委”不在单位名录中', where: '第4段' }]);
  });
});

describe('readPlanDocument: Excel', () => {
  it('given an .xlsx task table on its second sheet, headed in other words and order, with a title row, a merged part row, merged lead cells and a date cell, when read, then each row is a task', async () => {
    const bytes = await excelFile((workbook) => {
      workbook.addWorksheet('说明').addRow(['本表由市政务服务中心汇总']);
      const sheet = workbook.addWorksheet('任务清单');
      sheet.addRow([`${TITLE}任务清单`]);
      sheet.mergeCells('A1:E1');
      sheet.addRow(['完成时间', '工作任务', '编号', '配合单位', '牵头部门']);
      sheet.addRow(['一、持续深化简政放权']);
      sheet.mergeCells('A3:E3');
      sheet.addRow([new Date(Date.UTC(2023, 5, 30)), '推进企业开办全程网办', 1, '市税务局', '市市场监管局']);
      sheet.addRow(['年底前', '推行证照分离改革', 2, '各区人民政府', null]);
      sheet.mergeCells('E4:E5');
    });
    const document = await read(bytes, '任务清单.xlsx');
    expect(document.format).toBe('xlsx');
    expect(assignments(document)).toEqual([
      [1, '推进企业开办全程网办', ['市市场监管局'], ['市税务局'], '2023-06-30'],
      [2, '推行证照分离改革', ['市市场监管局'], ['各区人民政府'], '2023-12-31'],
    ]);
    expect(document.plan.tasks.map((task) => task.part)).toEqual(['一、持续深化简政放权', '一、持续深化简政放权']);
    expect(document.plan.year).toBe(2023);
    expect(document.plan.warnings).toEqual([]);
  });

  it('given formulas in cells (=HYPERLINK with a cached text, =cmd|… and one with no cached value), when read, then nothing is evaluated: the cached text is used and the others are warnings naming their cell', async () => {
    const bytes = await excelFile((workbook) => {
      const sheet = workbook.addWorksheet('任务');
      sheet.addRow(['序号', '任务', '牵头单位', '完成时限']);
      sheet.addRow([1, { formula: 'HYPERLINK("http://example.com","推进企业开办")', result: '推进企业开办' }, '市市场监管局', '6月底前']);
      sheet.addRow([2, '推行告知承诺制', { formula: "cmd|' /C calc'!A0", result: '市司法局' }, '年底前']);
      sheet.addRow([3, '推进网办', '市财政局', { formula: 'TODAY()+30' }]);
    });
    const document = await read(bytes, '2023年任务.xlsx');
    expect(assignments(document)).toEqual([
      [1, '推进企业开办', ['市市场监管局'], [], '2023-06-30'],
      [2, '推行告知承诺制', [], [], '2023-12-31'],
      [3, '推进网办', ['市财政局'], [], null],
    ]);
    const messages = document.plan.warnings.map((warning) => [warning.where, warning.message]);
    expect(messages).toContainEqual(['工作表“任务”第3行', '工作表“任务”第3行第3列是公式，且文件中没有保存计算结果；公式不会被执行，按空白处理']);
    expect(messages).toContainEqual(['工作表“任务”第4行', '工作表“任务”第4行第4列是公式，且文件中没有保存计算结果；公式不会被执行，按空白处理']);
  });

  it('given an .xlsx with no sheet headed like a task table, when read, then it is refused naming the file', async () => {
    const bytes = await excelFile((workbook) => {
      workbook.addWorksheet('Sheet1').addRow(['姓名', '电话']);
    });
    await expect(read(bytes, '通讯录.xlsx')).rejects.toThrow(/^“通讯录\.xlsx”中未找到任务表/);
  });
});

describe('readPlanDocument: text and Plan JSON', () => {
  const text = [TITLE, '一、重点任务', '1. 推进企业开办全程网办。', '牵头单位：市市场监管局', '完成时限：6月底前'].join('\r\n');

  it('given the same plan in UTF-8, UTF-8 with a BOM and GBK, under a Chinese file name, when read, then each gives the same plan and says its encoding', async () => {
    const utf8 = new TextEncoder().encode(text);
    const gbk = new Uint8Array(Buffer.from(await gbkBytes(text)));
    const plain = await read(utf8, '示例市工作要点.txt');
    const bom = await read(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]), '示例市工作要点.md');
    const chinese = await read(gbk, '示例市工作要点.txt');
    expect(plain.plan.tasks).toHaveLength(1);
    expect(bom.plan).toEqual(plain.plan);
    expect(chinese.plan).toEqual(plain.plan);
    expect([plain.encoding, bom.encoding, chinese.encoding]).toEqual(['utf-8', 'utf-8', 'gb18030']);
  });

  it('given Plan JSON, when read, then it is the plan as written; malformed Plan JSON is refused naming the file and the field', async () => {
    const { plan } = await read(new TextEncoder().encode(text), 'plan.txt');
    const json = await read(new TextEncoder().encode(JSON.stringify(plan)), '计划.json');
    expect(json).toMatchObject({ plan, format: 'json' });
    const broken = new TextEncoder().encode(JSON.stringify({ ...plan, tasks: 'none' }));
    await expect(read(broken, '计划.json')).rejects.toThrow('“计划.json”不符合计划 JSON 格式（tasks）');
  });

  it('given a text document with no task, when read, then it is refused with code no-tasks naming the file', async () => {
    const error = await read(new TextEncoder().encode('关于做好有关工作的通知\n各单位：请认真落实。'), '通知.txt').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlanInputError);
    expect(error).toMatchObject({ code: 'no-tasks', file: '通知.txt' });
    expect((error as Error).message).toMatch(/^“通知\.txt”中未找到任何任务.* \/ 通知\.txt: no task found/);
  });
});

/** GBK bytes of a text, as Chinese Windows saves it (Node decodes GB18030 but has no encoder). */
async function gbkBytes(text: string): Promise<Uint8Array> {
  const decoder = new TextDecoder('gb18030');
  const table = new Map<string, number[]>();
  for (let lead = 0x81; lead <= 0xfe; lead += 1) {
    for (let trail = 0x40; trail <= 0xfe; trail += 1) {
      if (trail === 0x7f) continue;
      const char = decoder.decode(new Uint8Array([lead, trail]));
      if (char.length === 1 && char !== '\ufffd' && !table.has(char)) table.set(char, [lead, trail]);
    }
  }
  return new Uint8Array([...text].flatMap((char) => (char.charCodeAt(0) < 0x80 ? [char.charCodeAt(0)] : (table.get(char) ?? [0x3f]))));
}
