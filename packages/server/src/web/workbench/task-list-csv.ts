import { light, lightLabels, overdueDays, stateLabels } from '@duban/reform-task';
import type { ReformTaskState } from '@duban/reform-task';
import type { TaskFacts } from '../../reports/index.ts';
import { csvField } from '../../reports/ledger/ledger-csv.ts';

const BOM = '\uFEFF';
const CRLF = '\r\n';
const columns = ['序号', '所属部分', '任务内容', '牵头单位', '责任单位', '完成时限', '状态', '红黄绿灯', '逾期天数'] as const;

/**
 * A filtered task list as CSV for Excel and WPS: the ledger's conventions (a UTF-8 byte order mark,
 * CRLF, quoting, and text a spreadsheet would run as a formula prefixed with '), one row a task in the
 * list's order, its days overdue at `at`. Pure.
 */
export function taskListCsv(tasks: readonly TaskFacts[], at: number): string {
  const rows = tasks.map(({ snapshot, task }) =>
    [
      task.number,
      task.part,
      task.text,
      task.leadUnits.join('、'),
      task.responsibleUnits.join('、'),
      task.dueDate ?? task.deadline.text,
      stateLabels[snapshot.value as ReformTaskState] ?? snapshot.value,
      lightLabels[light(snapshot)],
      overdueDays(snapshot, at),
    ]
      .map(csvField)
      .join(','),
  );
  return BOM + [columns.map(csvField).join(','), ...rows].map((line) => line + CRLF).join('');
}
