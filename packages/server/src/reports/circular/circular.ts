import { light, overdueDays, stateLabels } from '@duban/reform-task';
import type { ReformTaskState } from '@duban/reform-task';
import type { TaskFacts } from '../report-task.ts';
import { compareUnits } from '../report-task.ts';
import type { Period } from '../../time/calendar.ts';
import { chineseDate, chineseDateRange, periodBounds, shanghaiDate } from '../../time/calendar.ts';
import { formatPercent } from '../summary.ts';
import type { SupervisionEvent } from '../supervision-events.ts';

export interface CircularOptions {
  /** What the circular reports on; default “放管服”改革工作. */
  readonly subject?: string;
  /** The plan's title, cited in the opening, e.g. 某市2023年“放管服”改革工作要点. */
  readonly planTitle?: string;
  /** Whom it is addressed to; default 各区人民政府，市政府各委、办、局，各有关单位. */
  readonly addressees?: string;
  /** Who issues it; default 市推进政府职能转变和“放管服”改革协调领导小组办公室. */
  readonly issuer?: string;
}

/** A task listed in the circular. */
export interface CircularTask {
  readonly number: number;
  /** The task's text, shortened for the listing. */
  readonly text: string;
  readonly leadUnits: readonly string[];
  readonly responsibleUnits: readonly string[];
  /** What the listing says about it, e.g. 2023年6月25日核验通过，已销号. */
  readonly note: string;
}

/** A unit commended or criticised, with why. */
export interface CircularUnit {
  readonly unit: string;
  readonly reasons: readonly string[];
}

/** A 通报 (circular) on the reform tasks over a period, as data; render it with circularMarkdown or circularHtml. */
export interface Circular {
  readonly title: string;
  /** The number (文号) it was issued under, e.g. 克改办通〔2023〕3号; absent on a draft. */
  readonly number?: string;
  readonly addressees: string;
  readonly opening: string;
  readonly period: { readonly from: string; readonly to: string };
  /** ISO instant the figures are as of: the last millisecond of the period. */
  readonly asOf: string;
  readonly sections: {
    /** 一、总体情况: paragraphs. */
    readonly overview: readonly string[];
    /** Within 一、总体情况: the leaders' instructions (领导批示) written in the period, oldest first; empty intro and items when none. */
    readonly instructions: { readonly intro: string; readonly items: readonly string[] };
    /** 二、已完成任务. */
    readonly completed: { readonly intro: string; readonly tasks: readonly CircularTask[] };
    /** 三、逾期未完成任务及责任单位, most days overdue first. */
    readonly overdue: { readonly intro: string; readonly tasks: readonly CircularTask[] };
    /** 四、表扬单位. */
    readonly commended: { readonly intro: string; readonly units: readonly CircularUnit[] };
    /** 五、通报批评单位. */
    readonly criticised: { readonly intro: string; readonly units: readonly CircularUnit[] };
    /** 六、下一步工作要求: paragraphs. */
    readonly requirements: readonly string[];
  };
  readonly issuer: string;
  /** The issue date in Chinese: the period's last day. */
  readonly issuedOn: string;
}

/** The headings of the circular's sections, in order. */
export const circularHeadings = {
  overview: '一、总体情况',
  completed: '二、已完成任务',
  overdue: '三、逾期未完成任务及责任单位',
  commended: '四、表扬单位',
  criticised: '五、通报批评单位',
  requirements: '六、下一步工作要求',
} as const;

const DEFAULTS = {
  subject: '“放管服”改革工作',
  addressees: '各区人民政府，市政府各委、办、局，各有关单位',
  issuer: '市推进政府职能转变和“放管服”改革协调领导小组办公室',
};

const BRIEF_CHARS = 40;

/**
 * The circular over `period`, from the log as of the period's last millisecond (`periodEnd(period)`):
 * `tasks` must be the tasks as of that instant, in plan order; `events` may run past it (later ones are ignored).
 * Lead units are criticised for a task overdue at the period's end, or an interview started or an
 * accountability referral within the period; they are commended for a commendation within the period,
 * and, unless criticised in the same circular, for a task verified on time within it. Pure; throws on
 * a malformed period.
 */
export function circular(period: Period, tasks: readonly TaskFacts[], events: readonly SupervisionEvent[], options: CircularOptions = {}): Circular {
  const bounds = periodBounds(period);
  const { end } = bounds;
  const subject = options.subject ?? DEFAULTS.subject;
  const issuer = options.issuer ?? DEFAULTS.issuer;
  const list = tasks;
  const inPeriod = events.filter((event) => event.at >= bounds.start && event.at <= end);
  const asOfDate = chineseDate(bounds.toDate);

  const states = new Map<ReformTaskState, number>();
  const lights = { red: 0, yellow: 0, green: 0, none: 0 };
  for (const { snapshot } of list) {
    const state = snapshot.value as ReformTaskState;
    states.set(state, (states.get(state) ?? 0) + 1);
    lights[light(snapshot)] += 1;
  }
  const n = (state: ReformTaskState) => states.get(state) ?? 0;
  const cancelled = n('cancelled');
  const base = list.length - cancelled;
  const done = n('verified') + n('closed');

  const completed = list
    .filter(({ snapshot }) => snapshot.value === 'verified' || snapshot.value === 'closed')
    .map(({ snapshot, task }): CircularTask => {
      const verifiedOn = task.verifiedAt === null ? '' : `${chineseDate(shanghaiDate(task.verifiedAt))}核验通过`;
      const closed = snapshot.value === 'closed' ? '已销号' : '';
      // The person who reported it, as the office names them beside the unit; none for a service's report.
      const report = task.lastReport;
      const reporter = report?.person === undefined ? '' : `报送人：${report.by === null ? '' : `${report.by} `}${report.person.name}`;
      return circularTask(task, [reporter, verifiedOn, closed].filter((part) => part !== '').join('，'));
    });

  const overdueItems = list
    .map((item) => ({ item, days: overdueDays(item.snapshot, end) }))
    .filter(({ days }) => days > 0)
    .sort((a, b) => b.days - a.days || a.item.task.number - b.item.task.number);
  const overdue = overdueItems.map(({ item: { snapshot, task }, days }) => {
    const limit = task.dueDate === null ? '' : `完成时限：${chineseDate(task.dueDate)}；`;
    const state = stateLabels[snapshot.value as ReformTaskState] ?? snapshot.value;
    return circularTask(task, `${limit}已逾期${days}天，当前状态：${state}`);
  });

  const criticism = new UnitReasons();
  for (const { item, days } of [...overdueItems].sort((a, b) => a.item.task.number - b.item.task.number)) {
    for (const unit of item.task.leadUnits) criticism.add(unit, `第${item.task.number}项逾期${days}天未完成`);
  }
  for (const event of inPeriod) {
    if (event.kind === 'interview') criticism.addAll(event, `第${event.number}项启动约谈${paren(event.detail)}`);
    if (event.kind === 'referral') criticism.addAll(event, `第${event.number}项移交问责${paren(event.detail === null ? null : `移交${event.detail}`)}`);
  }
  const criticised = criticism.units();
  const criticisedNames = new Set(criticised.map(({ unit }) => unit));
  const praise = new UnitReasons();
  for (const event of inPeriod) {
    if (event.kind === 'commendation') praise.addAll(event, `第${event.number}项获表扬`);
    if (event.kind === 'verified' && event.onTime) {
      // A criticised unit is still named for a commendation the office gave, not for keeping time.
      const units = event.leadUnits.filter((unit) => !criticisedNames.has(unit));
      for (const unit of units) praise.add(unit, `第${event.number}项按时完成`);
    }
  }
  const commended = praise.units();

  const instructed = inPeriod.filter((event) => event.kind === 'instruction');
  const instructions = {
    intro: instructed.length === 0 ? '' : `本期领导对${new Set(instructed.map((event) => event.taskId)).size}项任务作出批示${instructed.length}次，各有关单位要认真抓好落实：`,
    items: instructed.map((event) => `${chineseDate(shanghaiDate(event.at))}领导对第${event.number}项任务批示：${event.detail ?? ''}`),
  };
  const count = (kind: SupervisionEvent['kind']) => inPeriod.filter((event) => event.kind === kind).length;
  const newlyDone = new Set(inPeriod.filter((event) => event.kind === 'verified').map((event) => event.taskId)).size;
  const range = chineseDateRange(bounds.fromDate, bounds.toDate);

  return {
    title: `关于${monthRange(bounds.fromDate, bounds.toDate)}${subject}推进情况的通报`,
    addressees: options.addressees ?? DEFAULTS.addressees,
    opening: `为推动${options.planTitle === undefined ? '“放管服”改革' : `《${options.planTitle}》`}各项任务落实，根据督办考核工作机制，现将${range}改革任务推进情况通报如下：`,
    period: { from: bounds.fromDate, to: bounds.toDate },
    asOf: new Date(end).toISOString(),
    sections: {
      overview: [
        `截至${asOfDate}，纳入督办的改革任务共${list.length}项，其中已撤销${cancelled}项，实际推进${base}项。` +
          `已完成${done}项（已销号${n('closed')}项、已核验${n('verified')}项），完成率${formatPercent(base === 0 ? 0 : done / base)}；` +
          `推进中${n('in_progress')}项，待核验${n('reported')}项，已交办未启动${n('assigned')}项，约谈中${n('interview')}项，已移交问责${n('accountability')}项。` +
          `红灯${lights.red}项、黄灯${lights.yellow}项、绿灯${lights.green}项，逾期未完成${overdue.length}项。`,
        `本期（${range}）新完成${newlyDone}项，督办${count('urge')}次，退回办结报送${count('rejected')}次，启动约谈${count('interview')}次，移交问责${count('referral')}次，表扬${count('commendation')}次。`,
      ],
      instructions,
      completed: {
        intro: completed.length === 0 ? `截至${asOfDate}，尚无已完成任务。` : `截至${asOfDate}，已完成任务${completed.length}项：`,
        tasks: completed,
      },
      overdue: {
        intro: overdue.length === 0 ? `截至${asOfDate}，无逾期未完成任务。` : `截至${asOfDate}，逾期未完成任务${overdue.length}项：`,
        tasks: overdue,
      },
      commended: {
        intro: commended.length === 0 ? '本期无。' : '对以下按时完成任务或获表扬的牵头单位予以通报表扬：',
        units: commended,
      },
      criticised: {
        intro: criticised.length === 0 ? '本期无。' : '对以下任务逾期未完成、被约谈或移交问责的牵头单位予以通报批评：',
        units: criticised,
      },
      requirements: requirements(overdue.length, issuer),
    },
    issuer,
    issuedOn: chineseDate(bounds.toDate),
  };
}

class UnitReasons {
  private readonly reasons = new Map<string, string[]>();

  add(unit: string, reason: string): void {
    const list = this.reasons.get(unit) ?? [];
    if (!list.includes(reason)) list.push(reason);
    this.reasons.set(unit, list);
  }

  addAll(event: SupervisionEvent, reason: string): void {
    for (const unit of event.leadUnits) this.add(unit, reason);
  }

  units(): CircularUnit[] {
    return [...this.reasons].sort(([a], [b]) => compareUnits(a, b)).map(([unit, reasons]) => ({ unit, reasons }));
  }
}

function circularTask(task: { number: number; text: string; leadUnits: readonly string[]; responsibleUnits: readonly string[] }, note: string): CircularTask {
  return { number: task.number, text: brief(task.text), leadUnits: [...task.leadUnits], responsibleUnits: [...task.responsibleUnits], note };
}

function brief(text: string): string {
  const chars = [...text.trim()];
  return chars.length <= BRIEF_CHARS ? chars.join('') : `${chars.slice(0, BRIEF_CHARS).join('')}……`;
}

function paren(text: string | null): string {
  return text === null ? '' : `（${text}）`;
}

/** `2023-05-01`, `2023-08-31` -> `2023年5月至8月`; one month -> `2023年8月`. */
function monthRange(from: string, to: string): string {
  const [fromYear, fromMonth] = [from.slice(0, 4), Number(from.slice(5, 7))];
  const [toYear, toMonth] = [to.slice(0, 4), Number(to.slice(5, 7))];
  if (fromYear !== toYear) return `${fromYear}年${fromMonth}月至${toYear}年${toMonth}月`;
  return fromMonth === toMonth ? `${fromYear}年${fromMonth}月` : `${fromYear}年${fromMonth}月至${toMonth}月`;
}

function requirements(overdue: number, issuer: string): string[] {
  const overdueClause = overdue === 0 ? '。' : `；逾期未完成任务的牵头单位要在通报印发后10个工作日内向${issuer}书面说明原因，并报送整改措施和完成时限。`;
  return [
    `（一）加快推进任务落实。各牵头单位要对照任务清单，倒排工期、挂图作战，确保按期保质完成${overdueClause}`,
    '（二）严格落实信息报送。各牵头单位、责任单位要按月报送任务进展，报送办结须附佐证材料，确保真实、完整、可核验。',
    '（三）强化督办考核。办公室将继续实行红黄绿灯管理，对进展滞后的任务持续督办，适时启动约谈机制，对改革任务落实不力、失职渎职的严肃问责，督办情况纳入日常考核和年度绩效考评。',
  ];
}
