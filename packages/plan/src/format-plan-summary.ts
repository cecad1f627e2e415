import type { Plan } from './plan-schema.ts';
import { summarizePlan } from './summarize-plan.ts';
import type { PlanSummaryRow } from './summarize-plan.ts';

const GROUP_NAMES: Record<PlanSummaryRow['group'], string> = { total: '总计', part: '按部分', month: '按完成月份' };

/** The plan summary as a Chinese text table (columns aligned for a terminal), ending in a newline. */
export function formatPlanSummary(plan: Plan): string {
  const rows = summarizePlan(plan);
  const header = [
    plan.title || '（无标题）',
    `发文单位：${plan.issuer ?? '未写明'}　发文日期：${plan.issuedOn ?? '未写明'}　年度：${plan.year ?? '未写明'}`,
    '',
  ];
  const table: string[][] = [['分组', '项目', '任务数']];
  let previousGroup: PlanSummaryRow['group'] | null = null;
  for (const row of rows) {
    table.push([row.group === previousGroup ? '' : GROUP_NAMES[row.group], row.label, String(row.count)]);
    previousGroup = row.group;
  }
  const widths = [0, 1, 2].map((column) => table.reduce((widest, cells) => Math.max(widest, displayWidth(cells[column] ?? '')), 0));
  const lines = table.map((cells) =>
    cells
      .map((cell, column) => {
        const padding = ' '.repeat((widths[column] ?? 0) - displayWidth(cell));
        return column === 2 ? padding + cell : cell + padding;
      })
      .join('  ')
      .trimEnd(),
  );
  const rule = '─'.repeat(widths.reduce((sum, width) => sum + width, 0) + 4);
  return [...header, lines[0] ?? '', rule, ...lines.slice(1)].join('\n') + '\n';
}

// East Asian wide and fullwidth characters take two terminal columns.
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x20000 && code <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}
