import type { AssessmentRule, AssessmentRules, AssessmentTrigger } from './assessment-rules.ts';
import type { TaskFacts } from '../report-task.ts';
import { compareUnits } from '../report-task.ts';
import type { Instant } from '../../time/calendar.ts';
import { instantMs } from '../../time/calendar.ts';
import type { SupervisionEvent } from '../supervision-events.ts';

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

/** How often one rule scored a unit, and the points it gave in all. */
export interface RuleTally {
  readonly ruleId: string;
  /** The rule's Chinese description. */
  readonly text: string;
  count: number;
  points: number;
}

/** One unit's score, by rule, and (when asked for) every reason for it. */
export interface UnitAssessment {
  readonly unit: string;
  /** 1 + the number of units with a higher score: tied units share a rank (并列), the next one skips (1, 2, 2, 4). */
  readonly rank: number;
  readonly score: number;
  readonly gained: number;
  readonly lost: number;
  /** The rules that scored the unit, in the order of the rules. */
  readonly byRule: RuleTally[];
  /** In seq order; absent when not asked for (see `AssessOptions.reasonsFor`). */
  readonly reasons?: AssessmentReason[];
}

export interface AssessOptions {
  /** Which units' reasons to list; every unit's by default. The scores do not depend on it. */
  readonly reasonsFor?: (unit: string) => boolean;
  /** An assessment period (季度, 年度): only facts from this instant (epoch ms) on count; every fact by default. */
  readonly since?: number;
  /** The period's name and days, carried into the result. */
  readonly period?: { readonly name: string; readonly from: string; readonly to: string };
}

export interface Assessment {
  readonly rulesVersion: string;
  readonly base: number;
  /** ISO instant the assessment is as of. */
  readonly asOf: string;
  /** The assessment period, when one was asked for (only its facts count). */
  readonly period?: { readonly name: string; readonly from: string; readonly to: string };
  /** Highest score first, then by name (pinyin). */
  readonly units: UnitAssessment[];
}

/**
 * Scores every unit named on the tasks (lead or responsible, as of `asOf`) and every unit a rule
 * reached earlier: `rules.base` plus the points of each rule each supervision fact up to `asOf`
 * triggers. A collective named on a task (input.collectives, e.g. 各区人民政府) passes each of its
 * points to every member and is not scored itself; names in `rules.notAssessed` are never scored. A
 * unit that both leads and supports a task is scored as lead only. A supporting unit answers for its
 * own part of the task: an `overdue` rule for responsible units charges only those whose part was not
 * done (PART_DONE) by the limit in force that was passed, and a `verified-on-time` rule credits only those
 * whose part was done by the verification (a part with no record is not done). Pure.
 */
export function assessUnits(
  rules: AssessmentRules,
  tasks: readonly TaskFacts[],
  events: readonly SupervisionEvent[],
  asOf: Instant,
  options: AssessOptions = {},
): Assessment {
  const now = instantMs(asOf);
  const listReasons = options.reasonsFor ?? (() => true);
  const scores = new Map<string, UnitScore>();
  const scoreOf = (unit: string) => {
    let score = scores.get(unit);
    if (score === undefined) scores.set(unit, (score = { byRule: new Map(), reasons: listReasons(unit) ? [] : undefined }));
    return score;
  };
  const parties = partyCacheOf(rules);
  // The units of each party list whose reasons are listed (none, usually).
  const listed = new Map<Parties, { lead: Assessed[]; responsible: Assessed[] }>();
  const listedOf = (party: Parties) => {
    let found = listed.get(party);
    if (found === undefined) listed.set(party, (found = { lead: party.leads.filter(({ unit }) => listReasons(unit)), responsible: party.supporting.filter(({ unit }) => listReasons(unit)) }));
    return found;
  };
  const rulesOf = rulesByFact(rules);
  const tally = (unit: string, rule: AssessmentRule, count: number) => {
    const score = scoreOf(unit);
    let found = score.byRule.get(rule);
    if (found === undefined) score.byRule.set(rule, (found = { ruleId: rule.id, text: rule.description, count: 0, points: 0 }));
    found.count += count;
    found.points += count * rule.points;
  };
  const partsOf = partsByTask(tasks);

  // Facts of one task share its party lists: count per (parties, rule), then score each unit once per pair.
  const counted = new Map<Parties, Map<AssessmentRule, number>>();
  const named = parties.namedBy(tasks);
  for (const party of named) for (const { unit } of party.all) scoreOf(unit);
  const since = options.since ?? Number.NEGATIVE_INFINITY;
  for (const event of events) {
    if (event.at > now || event.at < since) continue;
    const party = parties.of(event.leadUnits, event.responsibleUnits, event.collectives);
    let byRule = counted.get(party);
    if (byRule === undefined) counted.set(party, (byRule = new Map()));
    for (const rule of rulesOf(event)) {
      const ownPart = rule.appliesTo === 'responsible' ? ownPartRule(event) : undefined;
      if (ownPart !== undefined) {
        // Each supporting unit answers for its own part: one done by the limit it passed is not charged an
        // overdue; one not done by the verification is not credited the task's on-time completion.
        const parts = partsOf.get(event.taskId);
        for (const { unit, via } of party.supporting) {
          if (partDoneBy(parts, unit, ownPart.by) !== ownPart.done) continue;
          tally(unit, rule, 1);
          if (listReasons(unit)) scoreOf(unit).reasons!.push(reason(rule, event, via));
        }
        continue;
      }
      byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
      for (const { unit, via } of listedOf(party)[rule.appliesTo]) scoreOf(unit).reasons!.push(reason(rule, event, via));
    }
  }
  for (const [party, byRule] of counted) {
    for (const [rule, count] of byRule) {
      for (const { unit } of rule.appliesTo === 'lead' ? party.leads : party.supporting) tally(unit, rule, count);
    }
  }

  const unranked = [...scores].map(([unit, score]): Omit<UnitAssessment, 'rank'> => {
    const byRule = rules.rules.flatMap((rule) => {
      const tally = score.byRule.get(rule);
      return tally === undefined ? [] : [{ ...tally, points: round(tally.points) }];
    });
    const gained = round(byRule.reduce((total, t) => total + Math.max(0, t.points), 0));
    const lost = round(byRule.reduce((total, t) => total + Math.min(0, t.points), 0));
    const assessed = { unit, score: round(rules.base + gained + lost), gained, lost, byRule };
    return score.reasons === undefined ? assessed : { ...assessed, reasons: inSeqOrder(score.reasons) };
  });
  unranked.sort((a, b) => b.score - a.score || compareUnits(a.unit, b.unit));
  let rank = 0;
  const units = unranked.map(({ unit, ...scored }, index): UnitAssessment => {
    if (index === 0 || scored.score !== unranked[index - 1]!.score) rank = index + 1;
    return { unit, rank, ...scored };
  });
  return { rulesVersion: rules.version, base: rules.base, asOf: new Date(now).toISOString(), ...(options.period === undefined ? {} : { period: options.period }), units };
}

type Parts = TaskFacts['task']['parts'];

/**
 * The parts of each task that has a record of them, by task id, worked out once per list of tasks: the
 * read model hands every report the same list until an entry changes it (then a new list), and a map of
 * 100,000 tasks built for each report was most of its time and garbage. A list whose length changed
 * (grown in place) is worked out again.
 */
const partsByList = new WeakMap<readonly TaskFacts[], { readonly length: number; readonly parts: ReadonlyMap<string, Parts> }>();

function partsByTask(tasks: readonly TaskFacts[]): ReadonlyMap<string, Parts> {
  const known = partsByList.get(tasks);
  if (known !== undefined && known.length === tasks.length) return known.parts;
  const parts = new Map<string, Parts>();
  for (const { id, task } of tasks) if (task.parts !== undefined) parts.set(id, task.parts);
  partsByList.set(tasks, { length: tasks.length, parts });
  return parts;
}

interface UnitScore {
  readonly byRule: Map<AssessmentRule, RuleTally>;
  readonly reasons: AssessmentReason[] | undefined;
}

type Assessed = { readonly unit: string; readonly via: string | null };

/** A task's assessed units: lead, supporting (not also lead), and both. */
interface Parties {
  readonly leads: Assessed[];
  readonly supporting: Assessed[];
  readonly all: Assessed[];
}

/**
 * The assessed lead and supporting units of a task's parties, worked out once per party list: the
 * facts of one task share their lists, so most lookups are hits.
 */
class PartyCache {
  private readonly byLeads = new WeakMap<readonly string[], WeakMap<readonly string[], Parties>>();
  private readonly byList = new WeakMap<readonly TaskFacts[], { readonly length: number; readonly named: ReadonlySet<Parties> }>();

  constructor(private readonly skip: ReadonlySet<string>) {}

  /** The party lists the tasks name, worked out once per list of tasks (see `partsByTask`). */
  namedBy(tasks: readonly TaskFacts[]): ReadonlySet<Parties> {
    const known = this.byList.get(tasks);
    if (known !== undefined && known.length === tasks.length) return known.named;
    const named = new Set<Parties>();
    for (const { task } of tasks) named.add(this.of(task.leadUnits, task.responsibleUnits, task.collectives));
    this.byList.set(tasks, { length: tasks.length, named });
    return named;
  }

  of(leadUnits: readonly string[], responsibleUnits: readonly string[], collectives: Readonly<Record<string, readonly string[]>>): Parties {
    let byResponsible = this.byLeads.get(leadUnits);
    if (byResponsible === undefined) this.byLeads.set(leadUnits, (byResponsible = new WeakMap()));
    let found = byResponsible.get(responsibleUnits);
    if (found === undefined) {
      const leads = assessedUnits(leadUnits, collectives, this.skip);
      const leadNames = new Set(leads.map(({ unit }) => unit));
      const supporting = assessedUnits(responsibleUnits, collectives, this.skip).filter(({ unit }) => !leadNames.has(unit));
      found = { leads, supporting, all: [...leads, ...supporting] };
      byResponsible.set(responsibleUnits, found);
    }
    return found;
  }
}

/** One cache of parties per set of rules (their `notAssessed` decides who is scored), kept while the rules are. */
const partyCaches = new WeakMap<AssessmentRules, PartyCache>();

function partyCacheOf(rules: AssessmentRules): PartyCache {
  let cache = partyCaches.get(rules);
  if (cache === undefined) partyCaches.set(rules, (cache = new PartyCache(new Set(rules.notAssessed))));
  return cache;
}

/**
 * For a fact a supporting unit answers for by its own part, which units a `responsible` rule reaches:
 * those whose part was (`done: true`) or was not (`done: false`) done by `by` (epoch ms). An overdue
 * reaches the parts not done by the limit it passed; a verification on time, the parts done by then.
 * Undefined for every other fact: it reaches every supporting unit. Pure.
 */
function ownPartRule(event: SupervisionEvent): { readonly done: boolean; readonly by: number } | undefined {
  if (event.kind === 'overdue') return { done: false, by: event.limitAt ?? event.at };
  if (event.kind === 'verified' && event.onTime) return { done: true, by: event.at };
  return undefined;
}

/** Was the unit's own part of the task done by `limit` (epoch ms)? A part with no record is not done. Pure. */
function partDoneBy(parts: TaskFacts['task']['parts'], unit: string, limit: number): boolean {
  const done = parts !== undefined && Object.hasOwn(parts, unit) ? parts[unit]!.done : null;
  return done !== null && done !== undefined && done.at <= limit;
}

/** The rules each supervision fact triggers, looked up by its kind (and for `verified`, whether on time). */
function rulesByFact(rules: AssessmentRules): (event: SupervisionEvent) => readonly AssessmentRule[] {
  const byTrigger = new Map<AssessmentTrigger, AssessmentRule[]>();
  for (const rule of rules.rules) byTrigger.set(rule.trigger, [...(byTrigger.get(rule.trigger) ?? []), rule]);
  return (event) => {
    const trigger = event.kind === 'verified' ? (event.onTime ? 'verified-on-time' : 'verified-late') : (event.kind as AssessmentTrigger);
    const found = byTrigger.get(trigger) ?? [];
    // A rule on one judgement (四个是否) counts only that judgement's facts.
    return event.kind === 'check-passed' || event.kind === 'check-failed' ? found.filter((rule) => rule.check === undefined || rule.check === event.detail) : found;
  };
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

/** The reasons in seq order: as the facts come they mostly are already, and then sorting (and its scratch space) is skipped. */
function inSeqOrder(reasons: AssessmentReason[]): AssessmentReason[] {
  for (let i = 1; i < reasons.length; i++) if (reasons[i]!.seq < reasons[i - 1]!.seq) return reasons.sort((a, b) => a.seq - b.seq);
  return reasons;
}

// Points may be fractional (0.5); keep sums free of binary noise.
function round(value: number): number {
  return Math.round(value * 100) / 100;
}
