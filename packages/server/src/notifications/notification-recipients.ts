import type { ReformTaskContext } from '@duban/reform-task';
import { defaultAssessmentRules } from '../reports/assessment/assessment-rules.ts';

/**
 * The reform-task events that notify units, and whom: `lead` the task's lead units (the report they
 * sent, interview decisions), `parties` every unit named on it (supervision signals every party must act
 * on, and the task's end, which every party worked for), `asked` the units a comment asks to answer (its
 * `ask`; a comment that asks no one notifies no one), `returned` the unit whose part RETURN_PART names; DECIDE_EXTENSION depends on the decision
 * (`extensionAudience`).
 */
export const notifiedEvents = {
  URGE: 'parties',
  WARN: 'parties',
  DEADLINE_PASSED: 'parties',
  ESCALATE: 'parties',
  INSTRUCT: 'parties',
  REJECT: 'lead',
  RECORD_INTERVIEW: 'lead',
  REFER: 'lead',
  COMMENT: 'asked',
  VERIFY: 'lead',
  CLOSE: 'parties',
  DECIDE_EXTENSION: 'decision',
  AMEND: 'parties',
  // A part done tells the lead units, who compile the completion report from the parts.
  PART_DONE: 'lead',
  // A returned part tells the unit whose part it is.
  RETURN_PART: 'returned',
} as const;

/** Who hears of an extension decided: a granted one moves every party's deadline; a refused one answers the lead units that asked. */
function extensionAudience(payload: Readonly<Record<string, unknown>>): 'lead' | 'parties' {
  return payload['approve'] === true ? 'parties' : 'lead';
}

export type NotifiedEvent = keyof typeof notifiedEvents;

export function isNotifiedEvent(type: string): type is NotifiedEvent {
  return Object.hasOwn(notifiedEvents, type);
}

/** Wordings that name no accountable unit (市级各有关部门 …): nobody can read a notice sent to them. */
const UNNAMED: ReadonlySet<string> = new Set(defaultAssessmentRules.notAssessed);

/**
 * The units an event notifies, as the task stands after it (so REASSIGN is followed): lead units
 * first, then responsible units, each once. A collective resolved at import (各区人民政府) is replaced
 * by its members — it is shorthand for them and no token acts for it; wordings that name no one are
 * left out. Pure.
 */
export function notificationRecipients(
  type: NotifiedEvent,
  payload: Readonly<Record<string, unknown>>,
  task: Pick<ReformTaskContext, 'leadUnits' | 'responsibleUnits' | 'collectives'>,
): string[] {
  const audience = notifiedEvents[type] === 'decision' ? extensionAudience(payload) : notifiedEvents[type];
  const asked = Array.isArray(payload['ask']) ? payload['ask'].filter((unit): unit is string => typeof unit === 'string') : [];
  const returned = typeof payload['unit'] === 'string' ? [payload['unit']] : [];
  const named = audience === 'asked' ? asked : audience === 'returned' ? returned : audience === 'lead' ? task.leadUnits : [...task.leadUnits, ...task.responsibleUnits];
  const units = named.flatMap((unit) => {
    const members = task.collectives[unit] ?? [];
    return members.length > 0 ? members : [unit];
  });
  return [...new Set(units)].filter((unit) => !UNNAMED.has(unit));
}
