import type { AuditEntry } from '@duban/engine';
import type { AssessmentRule, AssessmentRules, AssessmentTrigger } from './assessment-rules.ts';
import type { ReportTasks } from './report-task.ts';
import { compareUnits, reportTasks } from './report-task.ts';
import type { Instant } from './report-time.ts';
import { instantMs } from './report-time.ts';
import type { SupervisionEvent } from './supervision-events.ts';
import { supervisionEvents } from './supervision-events.ts';

/** One scored item: which rule, for which task, from which audit entry. */
export interface AssessmentReason {
  readonly ruleId: string;
  /** The rule's Chinese description. */
  readonly text: string;
  readonly taskId: string;
  readonly taskNumber: number;
  readonly points: number;
  readonly seq: number;
  /** ISO instant of the entry. */
  readonly at: string;
  /** The collective unit through which the unit was named on the task (e.g. 各区人民政府), if any. */
  readonly via: string | null;
}

/** One unit's score and every reason for it. */
export interface UnitAssessment {
  readonly unit: string;
  readonly score: number;
  readonly gained: number;
  readonly lost: number;
  /** In seq order. */
  readonly reasons: AssessmentReason[];
}

export interface Assessment {
  readonly rulesVersion: string;
  readonly base: number;
  /** ISO instant the assessment is as of. */
  readonly asOf: string;
  /** Highest score first, then by name (pinyin). */
  readonly units: UnitAssessment[];
}

/**
 * Scores every unit named on the tasks (lead or responsible, as of `asOf`) and every unit a rule
 * reached earlier: `rules.base` plus the points of each rule each audit entry up to `asOf` triggers.
 * A collective named on a task (input.collectives, e.g. 各区人民政府) passes each of its points to every
 * member and is not scored itself; names in `rules.notAssessed` are never scored. A unit that both
 * leads and supports a task is scored as lead only. Pure.
 */
export function assessUnits(rules: AssessmentRules, tasks: ReportTasks, entries: Iterable<AuditEntry>, asOf: Instant): Assessment {
  const now = instantMs(asOf);
  const skip = new Set(rules.notAssessed);
  const reasons = new Map<string, AssessmentReason[]>();
  const ensure = (unit: string) => {
    let list = reasons.get(unit);
    if (list === undefined) reasons.set(unit, (list = []));
    return list;
  };

  for (const { task } of reportTasks(tasks)) {
    for (const { unit } of assessedUnits([...task.leadUnits, ...task.responsibleUnits], task.collectives, skip)) ensure(unit);
  }
  for (const event of supervisionEvents(entries, now)) {
    const leads = assessedUnits(event.leadUnits, event.collectives, skip);
    const leadNames = new Set(leads.map(({ unit }) => unit));
    const supporting = assessedUnits(event.responsibleUnits, event.collectives, skip).filter(({ unit }) => !leadNames.has(unit));
    for (const rule of rules.rules) {
      if (!triggers(rule.trigger, event)) continue;
      for (const { unit, via } of rule.appliesTo === 'lead' ? leads : supporting) ensure(unit).push(reason(rule, event, via));
    }
  }

  const units = [...reasons].map(([unit, list]): UnitAssessment => {
    const ordered = list.sort((a, b) => a.seq - b.seq);
    const gained = sum(ordered.filter((r) => r.points > 0));
    const lost = sum(ordered.filter((r) => r.points < 0));
    return { unit, score: round(rules.base + gained + lost), gained, lost, reasons: ordered };
  });
  units.sort((a, b) => b.score - a.score || compareUnits(a.unit, b.unit));
  return { rulesVersion: rules.version, base: rules.base, asOf: new Date(now).toISOString(), units };
}

function triggers(trigger: AssessmentTrigger, event: SupervisionEvent): boolean {
  switch (trigger) {
    case 'verified-on-time':
      return event.kind === 'verified' && event.onTime;
    case 'verified-late':
      return event.kind === 'verified' && !event.onTime;
    default:
      return event.kind === trigger;
  }
}

/** The units that answer for `names`: each collective replaced by its members, unassessed names dropped. */
function assessedUnits(
  names: readonly string[],
  collectives: Readonly<Record<string, readonly string[]>>,
  skip: ReadonlySet<string>,
): { unit: string; via: string | null }[] {
  const found = new Map<string, string | null>();
  for (const name of names) {
    const members = collectives[name] ?? [];
    if (members.length > 0) {
      for (const member of members) if (!skip.has(member) && !found.has(member)) found.set(member, name);
    } else if (!skip.has(name) && !found.has(name)) {
      found.set(name, null);
    }
  }
  return [...found].map(([unit, via]) => ({ unit, via }));
}

function reason(rule: AssessmentRule, event: SupervisionEvent, via: string | null): AssessmentReason {
  return {
    ruleId: rule.id,
    text: rule.description,
    taskId: event.taskId,
    taskNumber: event.number,
    points: rule.points,
    seq: event.seq,
    at: new Date(event.at).toISOString(),
    via,
  };
}

function sum(reasons: readonly AssessmentReason[]): number {
  return round(reasons.reduce((total, r) => total + r.points, 0));
}

// Points may be fractional (0.5); keep sums free of binary noise.
function round(value: number): number {
  return Math.round(value * 100) / 100;
}
