import type { Plan } from './plan-schema.ts';

/** One line of a plan summary: a group (总计 / 按部分 / 按完成月份), what is counted and how many. */
export interface PlanSummaryRow {
  group: 'total' | 'part' | 'month';
  label: string;
  count: number;
}

/**
 * Counts for a short printed summary: totals (tasks, ongoing tasks, distinct lead units, tasks
 * without a deadline date, warnings), tasks per part in document order, and tasks per deadline
 * month in date order (tasks without a date last).
 */
export function summarizePlan(plan: Plan): PlanSummaryRow[] {
  const leadUnits = new Set(plan.tasks.flatMap((task) => task.leadUnits));
  const rows: PlanSummaryRow[] = [
    { group: 'total', label: '任务', count: plan.tasks.length },
    { group: 'total', label: '长期坚持', count: plan.tasks.filter((task) => task.deadline.ongoing).length },
    { group: 'total', label: '牵头单位（去重）', count: leadUnits.size },
    { group: 'total', label: '无具体完成日期', count: plan.tasks.filter((task) => task.deadline.date === null).length },
    { group: 'total', label: '警告', count: plan.warnings.length },
  ];
  for (const [part, count] of countBy(plan.tasks.map((task) => task.part ?? '（未分部分）'))) {
    rows.push({ group: 'part', label: part, count });
  }
  const months = plan.tasks.map((task) => task.deadline.date?.slice(0, 7) ?? null);
  const dated = [...countBy(months.filter((month) => month !== null))].sort(([a], [b]) => a.localeCompare(b));
  for (const [month, count] of dated) {
    rows.push({ group: 'month', label: `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`, count });
  }
  const undated = months.filter((month) => month === null).length;
  if (undated > 0) rows.push({ group: 'month', label: '无具体日期', count: undated });
  return rows;
}

function countBy<T>(values: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
