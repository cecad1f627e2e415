import { checkAnswersText, DAY_MS, eventLabels, failedChecksText, lateFrom, light, lightLabels, overdueDays, partStateLabels, partsDone, stateLabels, taskParts } from '@duban/reform-task';
import type { ReformTaskContext, ReformTaskState } from '@duban/reform-task';
import type { ReportTask, ReportTasks } from '../report-task.ts';
import { reportTasks } from '../report-task.ts';
import type { Instant } from '../../time/calendar.ts';
import { instantMs, shanghaiDate } from '../../time/calendar.ts';

/** The columns of the 台账 (ledger), in order. */
export const ledgerColumns = [
  '序号',
  '所属部分',
  '具体举措',
  '任务内容',
  '牵头单位',
  '责任单位',
  '完成时限',
  '当前状态',
  '红黄绿灯',
  '最新进展',
  '核验意见',
  '逾期天数',
  '报送情况',
  '约谈情况',
  '领导批示',
  '部分完成情况',
] as const;

/** The column a ledger across several plans starts with: the plan's id. */
export const LEDGER_PLAN_COLUMN = '所属计划';

/** Every column a ledger may have. */
export type LedgerColumn = (typeof ledgerColumns)[number] | typeof LEDGER_PLAN_COLUMN;

/** The ledger's columns: with 所属计划 first when it spans several plans. Pure. */
export function ledgerColumnsFor(spansPlans: boolean): readonly LedgerColumn[] {
  return spansPlans ? [LEDGER_PLAN_COLUMN, ...ledgerColumns] : ledgerColumns;
}

/**
 * One task of the ledger, keyed by the Chinese column names; 序号 and 逾期天数 are numbers. A task whose
 * report stands (reported, verified, closed) counts the days it was late when it reported, and
 * 报送情况 says whether it reported on time: lateness stays on the ledger after verification and closing.
 */
export type LedgerRow = { readonly [K in (typeof ledgerColumns)[number]]: K extends '序号' | '逾期天数' ? number : string } & { readonly 所属计划?: string };

/** Separator of unit names in a cell. */
const UNIT_SEPARATOR = '、';

/**
 * One ledger row per task, in plan order, as the tasks stood at `asOf` (`tasks` must be the
 * instances as of that instant). Every value is what a reader of the 台账 expects, in Chinese. Pure.
 */
export function ledgerRows(tasks: ReportTasks, asOf: Instant, withPlan = false): LedgerRow[] {
  const now = instantMs(asOf);
  // Across plans each row also names its plan (所属计划, see ledgerColumnsFor).
  return reportTasks(tasks).map((item) => (withPlan ? { 所属计划: item.task.planId, ...ledgerRow(item, now) } : ledgerRow(item, now)));
}

/** The ledger's rows of each piece of tasks, as the pieces come (see storedTasksInPieces). */
export async function* ledgerRowPieces(pieces: AsyncIterable<ReportTasks>, asOf: Instant, withPlan = false): AsyncGenerator<LedgerRow[]> {
  for await (const tasks of pieces) yield ledgerRows(tasks, asOf, withPlan);
}

function ledgerRow({ snapshot, task }: ReportTask, now: number): LedgerRow {
  return {
    序号: task.number,
    所属部分: task.part,
    具体举措: task.measure,
    任务内容: task.text,
    牵头单位: task.leadUnits.join(UNIT_SEPARATOR),
    责任单位: task.responsibleUnits.join(UNIT_SEPARATOR),
    完成时限: deadlineText(task),
    当前状态: stateLabels[snapshot.value as ReformTaskState] ?? snapshot.value,
    红黄绿灯: lightLabels[light(snapshot)],
    最新进展: latestProgress(task),
    核验意见: verificationOpinion(task),
    逾期天数: standingReport(snapshot.value) ? reportLateDays(task) : overdueDays(snapshot, now),
    报送情况: reportText(snapshot.value, task),
    约谈情况: interviewText(snapshot.value, task),
    领导批示: instructionText(task),
    部分完成情况: partsText(task),
  };
}

/** The columns of the workbook's sheet of parts (各单位承担部分), in order. */
export const ledgerPartColumns = ['序号', '任务内容', '牵头单位', '单位', '状态', '完成进度', '最新进展', '完成情况', '完成时间'] as const;

/** One unit's part of one task, keyed by the Chinese column names; 序号 is a number. */
export type LedgerPartRow = { readonly [K in (typeof ledgerPartColumns)[number]]: K extends '序号' ? number : string } & { readonly 所属计划?: string };

/** One row per part of each task (each unit's own part), in plan order, as the tasks stood. Pure. */
export function ledgerPartRows(tasks: ReportTasks, withPlan = false): LedgerPartRow[] {
  return reportTasks(tasks).flatMap(({ task }) =>
    taskParts(task).map((part) => {
      const row: LedgerPartRow = {
        序号: task.number,
        任务内容: task.text,
        牵头单位: task.leadUnits.join(UNIT_SEPARATOR),
        单位: part.unit,
        状态: partStateLabels[part.state],
        完成进度: part.percent === null ? '' : `${part.percent}%`,
        最新进展: part.lastProgress === null ? '' : `${shanghaiDate(part.lastProgress.at)} ${part.lastProgress.summary}`,
        完成情况: part.doneSummary ?? '',
        完成时间: part.doneAt === null ? '' : shanghaiDate(part.doneAt),
      };
      return withPlan ? { 所属计划: task.planId, ...row } : row;
    }),
  );
}

/** The ledger's rows and its part rows of each piece of tasks, as the pieces come: what the workbook writes. */
export async function* ledgerSheetPieces(pieces: AsyncIterable<ReportTasks>, asOf: Instant, withPlan = false): AsyncGenerator<LedgerPiece> {
  for await (const tasks of pieces) {
    const listed = [...(isMapOf(tasks) ? tasks.values() : tasks)];
    yield { rows: ledgerRows(listed, asOf, withPlan), parts: ledgerPartRows(listed, withPlan) };
  }
}

/** A piece of the workbook: ledger rows and the rows of their tasks' parts. */
export interface LedgerPiece {
  readonly rows: readonly LedgerRow[];
  readonly parts: readonly LedgerPartRow[];
}

function isMapOf<K, V>(tasks: Iterable<V> | ReadonlyMap<K, V>): tasks is ReadonlyMap<K, V> {
  return typeof (tasks as ReadonlyMap<K, V>).get === 'function' && !Array.isArray(tasks);
}

/** 部分 3/5 完成, with the units not done while some are; empty for a task with no parts. */
function partsText(task: ReformTaskContext): string {
  const parts = taskParts(task);
  const done = partsDone(parts);
  if (done === null) return '';
  const behind = parts.filter((part) => part.state !== 'done').map((part) => part.unit);
  return `部分 ${done.done}/${done.total} 完成${done.done > 0 && behind.length > 0 ? `（未完成：${behind.join(UNIT_SEPARATOR)}）` : ''}`;
}

/** The latest 领导批示: its date, the leader and the text; empty when no leader has instructed. */
function instructionText(task: ReformTaskContext): string {
  const last = task.lastInstruction;
  return last === undefined ? '' : `${shanghaiDate(last.at)} ${last.by?.name ?? '领导'}：${last.text}`;
}

/** States in which the last report stands: it was not rejected. */
function standingReport(state: string): boolean {
  return state === 'reported' || state === 'verified' || state === 'closed';
}

/**
 * Calendar days (Asia/Shanghai) the standing report came after the limit in force (after the import,
 * for a task imported late): 1 on the first day after it. Pure.
 */
export function reportLateDays(task: Pick<ReformTaskContext, 'reportedAt' | 'deadlineAt' | 'graceFrom'>): number {
  const { reportedAt } = task;
  const from = lateFrom(task);
  if (reportedAt === null || from === null || reportedAt < from) return 0;
  return Math.floor((reportedAt - from) / DAY_MS) + 1;
}

function reportText(state: string, task: ReformTaskContext): string {
  if (!standingReport(state) || task.reportedAt === null) return '';
  const late = reportLateDays(task);
  return late === 0 ? '按时报送' : `逾期报送（逾期${late}天）`;
}

/** The limit as the plan wrote it, and the limit in force when an extension or interview moved it. */
function deadlineText(task: ReformTaskContext): string {
  const written = task.deadline.text || (task.deadline.date ?? '');
  return task.dueDate !== null && task.dueDate !== task.deadline.date ? `${written}（现时限 ${task.dueDate}）` : written;
}

function latestProgress(task: ReformTaskContext): string {
  const { lastProgress: progress, lastReport: report } = task;
  if (report !== null && (progress === null || report.at >= progress.at)) {
    return `${shanghaiDate(report.at)} ${eventLabels.REPORT}：${report.summary}${reportedBy(report)}`;
  }
  if (progress !== null) {
    const percent = progress.percent === null ? '' : `（${progress.percent}%）`;
    return `${shanghaiDate(progress.at)} ${eventLabels.PROGRESS}：${progress.summary}${percent}${reportedBy(progress)}`;
  }
  return '';
}

/** Who reported, as an office writes it after the report: （报送人：市水务局 王力）; nothing when no person is named. */
function reportedBy(report: { readonly by: string | null; readonly person?: { readonly name: string } }): string {
  return report.person === undefined ? '' : `（报送人：${report.by === null ? '' : `${report.by} `}${report.person.name}）`;
}

function verificationOpinion(task: ReformTaskContext): string {
  const { lastVerification: verification, lastRejection: rejection } = task;
  if (verification !== null && (rejection === null || verification.at >= rejection.at)) {
    const opinion = verification.opinion ?? eventLabels.VERIFY;
    return verification.checks === undefined ? opinion : `${opinion}（四个是否：${checkAnswersText(verification.checks)}）`;
  }
  if (rejection === null) return '';
  return `退回：${rejection.reason}${rejection.failed === undefined ? '' : `（未达到：${failedChecksText(rejection.failed)}）`}`;
}

function interviewText(state: string, task: ReformTaskContext): string {
  const parts = task.interviews.map((interview) => `${interview.heldOn} 约谈，整改时限 ${interview.rectifyBy}`);
  if (state === 'interview') {
    const since = task.stateSince === null ? '' : `${shanghaiDate(task.stateSince)} `;
    parts.push(`${since}启动约谈${task.escalationReason === null ? '' : `（${task.escalationReason}）`}，待约谈`);
  }
  if (task.referral !== null) parts.push(`${shanghaiDate(task.referral.at)} 移交问责（${task.referral.referredTo}）`);
  return parts.length === 0 ? '无' : parts.join('；');
}
