import { defaultAssessmentRules } from '../assessment/assessment-rules.ts';
import { compareUnits } from '../report-task.ts';
import type { Circular } from './circular.ts';

/** Wordings that name no accountable unit (市级各有关部门 …): nobody can read a notice sent to them. */
const UNNAMED: ReadonlySet<string> = new Set(defaultAssessmentRules.notAssessed);

/**
 * The units a circular names, who are sent it and may read it: the lead and responsible units of every
 * task it lists, the units it commends and those it criticises. A collective (各区人民政府) stands for its
 * members (`membersOf`), wordings that name no one are left out; each unit once, in the registry's order. Pure.
 */
export function circularRecipients(circular: Circular, membersOf: (name: string) => readonly string[]): string[] {
  const { sections } = circular;
  const named = [
    ...[...sections.completed.tasks, ...sections.overdue.tasks].flatMap((task) => [...task.leadUnits, ...task.responsibleUnits]),
    ...sections.commended.units.map((unit) => unit.unit),
    ...sections.criticised.units.map((unit) => unit.unit),
  ];
  const units = named.flatMap((name) => {
    const members = membersOf(name);
    return members.length > 0 ? members : [name];
  });
  return [...new Set(units)].filter((unit) => !UNNAMED.has(unit)).sort(compareUnits);
}
