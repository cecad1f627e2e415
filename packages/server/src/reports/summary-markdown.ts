import { lightLabels, reformTaskStates, stateLabels } from '@duban/reform-task';
import { shanghaiDateTime } from '../time/calendar.ts';
import type { Summary, Tally } from './summary.ts';

/** A Markdown table: a header row, its rule and the rows; `|` in a cell escaped. Pure. */
function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  const cell = (value: string | number) => String(value).replaceAll('|', '\\|').replaceAll('\n', ' ');
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)];
}

const tallyHead = ['任务数', '已销号', '已核验', '逾期', '红灯', '黄灯', '绿灯'];
const tallyCells = (t: Tally) => [t.total, t.closed, t.verified, t.overdue, t.red, t.yellow, t.green];

/** The office's overview (`summarize`) as a Markdown document in Chinese, for `report summary --format md`. Pure. */
export function summaryMarkdown(summary: Summary): string {
  const { completion, activity } = summary;
  const lines = [
    `# 改革任务推进情况（截至 ${shanghaiDateTime(summary.asOf)}）`,
    '',
    `共 ${summary.total} 项任务，完成 ${completion.done} 项（${completion.percent}，以未撤销的 ${completion.base} 项计）；逾期未完成 ${summary.overdue.length} 项。`,
    '',
    '## 按状态',
    '',
    ...table(
      reformTaskStates.map((state) => stateLabels[state]),
      [reformTaskStates.map((state) => summary.byState[state])],
    ),
    '',
    '## 按红黄绿灯',
    '',
    ...table(
      (['red', 'yellow', 'green', 'none'] as const).map((light) => lightLabels[light]),
      [(['red', 'yellow', 'green', 'none'] as const).map((light) => summary.byLight[light])],
    ),
    '',
    '## 按所属部分',
    '',
    ...table(['所属部分', ...tallyHead], summary.byPart.map((p) => [p.part, ...tallyCells(p)])),
    '',
    '## 按牵头单位',
    '',
    ...table(['牵头单位', ...tallyHead], summary.byLeadUnit.map((u) => [u.unit, ...tallyCells(u)])),
    '',
    '## 逾期未完成任务',
    '',
    ...(summary.overdue.length === 0
      ? ['无。']
      : table(
          ['序号', '任务', '牵头单位', '完成时限', '逾期天数', '状态'],
          summary.overdue.map((t) => [t.number, t.text, t.leadUnits.join('、'), t.dueDate ?? '—', t.days, t.stateLabel]),
        )),
    '',
    '## 督办情况',
    '',
    ...table(
      ['督办', '预警', '逾期', '退回', '启动约谈', '约谈记录', '移交问责', '表扬', '批准延期'],
      [[activity.urges, activity.warnings, activity.deadlinesPassed, activity.rejections, activity.interviewsStarted, activity.interviewsHeld, activity.referrals, activity.commendations, activity.extensionsApproved]],
    ),
    '',
  ];
  return lines.join('\n');
}
