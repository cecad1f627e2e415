import ExcelJS from 'exceljs';
import type { FillPattern } from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '@duban/engine';
import type { LedgerRow, PlanFacts } from '../../src/reports/index.ts';
import { csvField, ledgerColumns, ledgerCsv, ledgerRows, ledgerXlsx } from '../../src/reports/index.ts';
import { DATE_A, DATE_B, endOf, factsAt, runScenario } from './scenario.ts';

const COLUMNS = ['序号', '所属部分', '具体举措', '任务内容', '牵头单位', '责任单位', '完成时限', '当前状态', '红黄绿灯', '最新进展', '核验意见', '逾期天数', '报送情况', '约谈情况', '领导批示', '部分完成情况'];

type Values = [number, string, string, string, string, string, string, string, string, string, string, number, string, string, string?];
// No unit of the scenario reports on its part: each task's parts read 部分 0/n 完成 (the districts of
// 各区人民政府 one each, 市级各有关部门 none, any other responsible unit one).
const PARTS: Readonly<Record<number, number>> = { 1: 4, 2: 1, 3: 4, 4: 1, 5: 4, 6: 1, 7: 1, 8: 1 };
const row = (...values: Values): LedgerRow =>
  ({ ...Object.fromEntries(COLUMNS.map((c, i) => [c, values[i] ?? ''])), 部分完成情况: `部分 0/${PARTS[values[0]]} 完成` }) as LedgerRow;

const P1 = '一、持续深化简政放权';
const P2 = '二、不断创新监管机制';
const P3 = '三、持续优化政务服务';

describe('the ledger (台账)', () => {
  let engine: Engine;
  let atA: PlanFacts;
  let atB: PlanFacts;
  beforeAll(async () => {
    engine = await runScenario();
    atA = await factsAt(engine, DATE_A);
    atB = await factsAt(engine, DATE_B);
  });
  afterAll(() => engine.close());

  it('has exactly the sixteen Chinese columns, in order', () => {
    expect([...ledgerColumns]).toEqual(COLUMNS);
    for (const r of ledgerRows(atA.tasks, DATE_A)) expect(Object.keys(r)).toEqual(COLUMNS);
  });

  it('when the ledger is made at date A, then it lists every task as it stood then', () => {
    expect(ledgerRows(atA.tasks, DATE_A)).toEqual([
      row(1, P1, '（一）构建公平规范的市场规则。', '推动市场准入负面清单事项全部实现网上办理。', '市发改委', '各区人民政府、市级各有关部门', '2023年6月底前', '已销号', '绿灯',
        '2023-06-20 报送办结：清单事项已全部实现网上办理', '材料齐全，同意', 0, '按时报送', '无'),
      row(2, P1, '（二）深入推进行政审批制度改革。', '全面推行告知承诺制。', '市市场监管局', '市司法局', '2023年6月底前', '已核验', '绿灯',
        '2023-06-26 报送办结：已补充佐证材料', '核验通过', 0, '按时报送', '无'),
      row(3, P2, '（七）推进公正监管。', '全面推行“双随机、一公开”监管。', '市司法局', '各区人民政府', '2023年6月底前（现时限 2023-09-30）', '推进中', '绿灯',
        '', '', 0, '', '2023-08-15 约谈，整改时限 2023-09-30'),
      row(4, P2, '（八）创新包容审慎监管。', '推行社保业务“静默认证”。', '市人社局', '市财政局', '2023年8月底前', '推进中', '黄灯', '', '', 0, '', '无'),
      row(5, P3, '（十二）提升政务服务效能。', '推进“一件事一次办”。', '市政务服务和公共资源交易中心', '各区人民政府', '2023年12月底前并长期坚持', '推进中', '绿灯',
        '2023-08-25 进展报送：已在区政务大厅试点', '', 0, '', '无'),
      row(6, P3, '（十三）优化医保服务。', '推进医保业务跨省通办。', '市医保局', '市财政局', '2023年9月底前', '已撤销', '无', '', '', 0, '', '无'),
      row(7, P1, '（三）规范涉企收费。', '清理规范涉企收费项目。', '市市场监管局', '市税务局', '2023年5月底前', '已核验', '绿灯',
        '2023-06-12 报送办结：收费项目已清理', '已完成，但逾期报送', 12, '逾期报送（逾期12天）', '无'),
      row(8, P3, '（十四）优化不动产登记。', '推行不动产登记“交房即交证”。', '市自然资源局', '市住建局', '2023年8月15日前', '已交办', '红灯', '', '', 16, '', '无'),
    ]);
  });

  it('when the ledger is made at date B, then it shows extensions, interviews, referrals and the latest progress as they stood then', () => {
    const rows = ledgerRows(atB.tasks, DATE_B);

    expect(rows[2]).toMatchObject({
      序号: 3, 当前状态: '已移交问责', 红黄绿灯: '红灯', 逾期天数: 0,
      约谈情况: '2023-08-15 约谈，整改时限 2023-09-30；2023-10-10 移交问责（市纪委监委）',
    });
    expect(rows[3]).toMatchObject({
      序号: 4, 完成时限: '2023年8月底前（现时限 2023-10-31）', 当前状态: '已核验', 红黄绿灯: '绿灯',
      最新进展: '2023-10-20 报送办结：系统已上线运行', 核验意见: '同意办结', 逾期天数: 0, 约谈情况: '无',
    });
    expect(rows[4]).toMatchObject({ 序号: 5, 领导批示: '2023-10-28 王副市长：“一件事一次办”要在全市推开。' });
    expect(rows[0]!.领导批示).toBe('');
    expect(rows[7]).toMatchObject({
      序号: 8, 当前状态: '约谈中', 红黄绿灯: '红灯', 逾期天数: 77,
      约谈情况: '2023-09-15 启动约谈（逾期30日未报送办结，自动启动约谈），待约谈',
    });
  });

  it('given a rejected report, when the ledger is made while the unit reworks it, then it shows 退回： and the rejection', async () => {
    const mid = endOf('2023-06-20');
    const { tasks } = await factsAt(engine, mid);

    expect(ledgerRows(tasks, mid)[1]).toMatchObject({ 序号: 2, 当前状态: '推进中', 红黄绿灯: '黄灯', 核验意见: '退回：佐证材料不足' });
  });

  describe('as CSV', () => {
    it('starts with a UTF-8 BOM, ends every line with CRLF and has the header first', () => {
      const csv = ledgerCsv(ledgerRows(atA.tasks, DATE_A));

      expect([...Buffer.from(csv, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(csv.slice(1).split('\r\n')[0]).toBe(COLUMNS.join(','));
      expect(csv.endsWith('\r\n')).toBe(true);
      expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
      expect(parseCsv(csv.slice(1))).toHaveLength(1 + 8);
      expect(parseCsv(csv.slice(1))[8]).toEqual(['8', P3, '（十四）优化不动产登记。', '推行不动产登记“交房即交证”。', '市自然资源局', '市住建局', '2023年8月15日前', '已交办', '红灯', '', '', '16', '', '无', '', '部分 0/1 完成']);
    });

    it('round-trips commas, quotes and line breaks, and neutralises formulas', () => {
      const [first] = ledgerRows(atA.tasks, DATE_A);
      const tricky: LedgerRow = {
        ...first!,
        任务内容: 'a,b "c"\nd\r\ne',
        牵头单位: '-2+3',
        最新进展: '=HYPERLINK("http://evil.example","点击")',
        核验意见: '+1',
        约谈情况: '@SUM(A1)',
      };

      const csv = ledgerCsv([tricky]);
      const [, parsed] = parseCsv(csv.slice(1));

      expect(csv).toContain('"a,b ""c""\nd\r\ne"');
      expect(parsed![3]).toBe('a,b "c"\nd\r\ne');
      expect(parsed![4]).toBe("'-2+3");
      expect(parsed![9]).toBe('\'=HYPERLINK("http://evil.example","点击")');
      expect(parsed![10]).toBe("'+1");
      expect(parsed![13]).toBe("'@SUM(A1)");
      expect(csvField(-3)).toBe('-3');
      expect(csvField('\tcmd')).toBe("'\tcmd");
    });
  });

  describe('as .xlsx', () => {
    it('writes a real workbook: title, frozen header, widths, wrapping and coloured lights', async () => {
      const buffer = await ledgerXlsx(ledgerRows(atA.tasks, DATE_A), { title: '克拉玛依市2023年“放管服”改革任务督办台账', asOf: DATE_A });

      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('台账')!;

      expect(buffer.subarray(0, 2).toString()).toBe('PK');
      expect(sheet.getCell('A1').value).toBe('克拉玛依市2023年“放管服”改革任务督办台账（截至2023年8月31日）');
      expect(sheet.getCell('P1').isMerged).toBe(true);
      expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(COLUMNS);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
      expect(sheet.autoFilter).toBe('A2:P2');
      expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToPage: true, printTitlesRow: '1:2' });
      expect(sheet.getColumn(4).width).toBe(50);
      expect(sheet.getCell('D3').alignment?.wrapText).toBe(true);
      expect(sheet.getCell('A3').value).toBe(1);
      expect(sheet.getCell('D10').value).toBe('推行不动产登记“交房即交证”。');
      expect(sheet.getCell('L10').value).toBe(16);
      const fill = (address: string) => (sheet.getCell(address).fill as FillPattern).fgColor?.argb;
      expect(sheet.getCell('I10').value).toBe('红灯');
      expect(fill('I10')).toBe('FFFF0000');
      expect(sheet.getCell('I6').value).toBe('黄灯');
      expect(fill('I6')).toBe('FFFFFF00');
      expect(sheet.getCell('I3').value).toBe('绿灯');
      expect(fill('I3')).toBe('FF00B050');
      expect(sheet.getCell('L9').value).toBe(12);
      expect(sheet.getCell('M9').value).toBe('逾期报送（逾期12天）');
      expect(sheet.getCell('M9').font?.color?.argb).toBe('FFC00000');
      expect(sheet.rowCount).toBe(10);
    });
  });
});

/** A strict RFC 4180 reader (CRLF records, "" escapes), written here so the test does not trust the writer. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i += 1; continue; }
      field += c; i += 1; continue;
    }
    if (c === '"' && field === '') { quoted = true; i += 1; continue; }
    if (c === ',') { record.push(field); field = ''; i += 1; continue; }
    if (c === '\r' && text[i + 1] === '\n') { record.push(field); records.push(record); record = []; field = ''; i += 2; continue; }
    if (c === '"' || c === '\r' || c === '\n') throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
    field += c; i += 1;
  }
  if (field !== '' || record.length > 0) throw new Error('last record has no CRLF');
  return records;
}
