import { chineseDate, shanghaiDate, shanghaiDateTime } from '../time/calendar.ts';
import { newReportWorkbook } from '../reports/report-workbook.ts';
import type { CycleStatus } from './reporting-cycles.ts';

const HEAD = ['任务序号', '任务', '单位', '分工', '报送情况', '报送时间', '报送周期'] as const;
const WIDTHS = [10, 60, 28, 8, 10, 20, 26];

// Formula injection: exceljs writes a string value as a string cell, never a formula (only `{ formula }`
// values are), so a task text or a unit such as `=HYPERLINK(…)` stays text when Excel opens the file.

/**
 * 报送情况表 of one cycle as an .xlsx workbook (exceljs): a title row (the cycle, its due day), the
 * header frozen with a filter, one row a part (已报 with the time of its first report in the cycle,
 * or 未报 in red; its schedule: the plan's, or the task's own, with the due day), and a closing row with the counts. No IO; resolves the bytes.
 */
export async function cycleWorkbook(status: CycleStatus, planTitle: string, at: Date): Promise<Buffer> {
  const when = `${status.cycle.key}期，${chineseDate(status.cycle.dueDate)}截止${status.closed ? '' : `，截至${chineseDate(shanghaiDate(at.getTime()))}`}`;
  const { workbook, sheet } = await newReportWorkbook({ name: '报送情况', title: `${planTitle} 信息报送情况表（${when}）`, header: HEAD, widths: WIDTHS, at });
  status.parts.forEach((part, index) => {
    const row = sheet.getRow(index + 3);
    row.values = [part.number, part.text, part.unit, part.lead ? '牵头' : '配合', part.seq === null ? '未报' : '已报', part.reportedAt === null ? '' : shanghaiDateTime(Date.parse(part.reportedAt)), `${part.schedule === 'task' ? '本任务单独设定' : '计划统一'}（${chineseDate(part.dueDate)}截止）`];
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    if (part.seq === null) row.getCell(5).font = { bold: true, color: { argb: 'FFC00000' } };
  });
  const total = sheet.getRow(status.parts.length + 3);
  total.getCell(1).value = `共${status.parts.length}项，已报${status.reported}项，未报${status.unreported}项`;
  sheet.mergeCells(status.parts.length + 3, 1, status.parts.length + 3, HEAD.length);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
