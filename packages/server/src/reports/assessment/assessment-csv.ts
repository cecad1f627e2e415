import { csvField } from '../ledger/ledger-csv.ts';
import type { Assessment } from './assess-units.ts';

/** The assessment as CSV for Excel (UTF-8 with BOM, CRLF): rank, unit, score, points gained and lost, and each rule's count. Pure. */
export function assessmentCsv(assessment: Assessment): string {
  const head = ['名次', '单位', '得分', '加分', '扣分', '明细'];
  const rows = assessment.units.map((unit) => [
    unit.rank,
    unit.unit,
    unit.score,
    unit.gained,
    unit.lost,
    unit.byRule.map((rule) => `${rule.text}×${rule.count}（${rule.points > 0 ? '+' : ''}${rule.points}）`).join('；'),
  ]);
  return `\uFEFF${[head, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}
