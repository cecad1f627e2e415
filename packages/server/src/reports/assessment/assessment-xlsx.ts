import type { Assessment } from './assess-units.ts';
import { chineseDate, chineseDateRange, shanghaiDate, shanghaiDateTime } from '../../time/calendar.ts';
import { attachmentDisposition } from '../../http/content-disposition.ts';
import { newReportWorkbook } from '../report-workbook.ts';

const HEAD = ['名次', '单位', '得分', '加分', '扣分', '明细'] as const;
const WIDTHS = [8, 30, 10, 10, 10, 80];
const REASON_HEAD = ['单位', '任务', '规则', '分值', '时间', '经由'] as const;
const REASON_WIDTHS = [30, 10, 50, 10, 20, 20];

// Formula injection: exceljs writes a string value as a string cell, never a formula (only `{ formula }`
// values are), so a name such as `=HYPERLINK(…)` stays text when Excel opens the file.

/**
 * The assessment as an .xlsx workbook (exceljs): sheet 考核 with a title row (the period or the day it
 * is as of), the header (名次, 单位, 得分, 加分, 扣分, 明细) frozen with a filter, one row a unit; and,
 * when reasons were asked for, sheet 明细 with one row per scored audit entry. No IO; resolves the bytes.
 */
export async function assessmentXlsx(assessment: Assessment, title: string): Promise<Buffer> {
  const asOf = new Date(assessment.asOf);
  const when = assessment.period === undefined
    ? `截至${chineseDate(shanghaiDate(asOf.getTime()))}`
    : `${assessment.period.name}：${chineseDateRange(assessment.period.from, assessment.period.to)}，截至${chineseDate(shanghaiDate(asOf.getTime()))}`;
  const { workbook, sheet } = await newReportWorkbook({ name: '考核', title: `${title}（${when}）`, header: HEAD, widths: WIDTHS, at: asOf });
  for (const unit of assessment.units) {
    const detail = unit.byRule.map((rule) => `${rule.text}×${rule.count}（${rule.points > 0 ? '+' : ''}${rule.points}）`).join('；');
    const row = sheet.addRow([unit.rank, unit.unit, unit.score, unit.gained, unit.lost, detail]);
    row.getCell(6).alignment = { wrapText: true, vertical: 'top' };
  }

  const reasons = assessment.units.flatMap((unit) => (unit.reasons ?? []).map((reason) => ({ unit: unit.unit, reason })));
  if (reasons.length > 0) {
    const detail = workbook.addWorksheet('明细', { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }] });
    detail.columns = REASON_WIDTHS.map((width) => ({ width }));
    detail.getRow(1).values = [...REASON_HEAD];
    detail.getRow(1).font = { bold: true };
    for (const { unit, reason } of reasons) {
      detail.addRow([unit, `第${reason.taskNumber}项`, reason.text, reason.points, shanghaiDateTime(reason.at), reason.via ?? '']);
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The title over the .xlsx assessment. */
export const ASSESSMENT_TITLE = '“放管服”改革任务督办考核';

/**
 * An assessment download for the API and the pages alike: its headers (the workbook type, the file
 * name 考核-<period or day>, never cached: it names units' scores) and its bytes. No IO but the workbook.
 */
export async function assessmentDownload(assessment: Assessment): Promise<{ headers: Record<string, string>; body: Buffer }> {
  const day = assessment.period?.name ?? shanghaiDate(Date.parse(assessment.asOf));
  return {
    headers: {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': attachmentDisposition(`考核-${day}.xlsx`, `assessment-${day}.xlsx`),
      'Cache-Control': 'private, no-store',
    },
    body: await assessmentXlsx(assessment, ASSESSMENT_TITLE),
  };
}
