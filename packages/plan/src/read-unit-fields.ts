import type { FieldAt } from './build-task.ts';
import { excerpt } from './excerpt.ts';
import { foldText } from './fold-text.ts';
import type { PlanWarning } from './plan-schema.ts';
import { readDeadline } from './read-deadline.ts';
import { looksLikeClause, splitUnitList } from './split-unit-list.ts';
import type { UnitRegistry } from './unit-registry.ts';

/** A unit name the registry does not know, with the line it is written on. */
export interface UnknownUnitAt {
  name: string;
  line: number;
}

/** The units of a task as read from its labelled fields. */
export interface UnitFieldsReading {
  leadUnits: string[];
  responsibleUnits: string[];
  /** Time phrases written as a clause of a unit list ("责任单位：X，6月底前完成"), as deadline fields. */
  deadlines: FieldAt[];
  unknown: UnknownUnitAt[];
  warnings: PlanWarning[];
}

const LEAD_CLAUSE = /(?:牵头负责|牵头落实|牵头)$/;
const RESPONSIBLE_CLAUSE = /(?:按职责分工负责|按职责分工落实|按职能分工负责|按职责负责|配合落实|配合|参与|协办|协助)$/;
const PLAIN_CLAUSE = /(?:负责落实|负责)$/;
const LEAD_MARK = /[（〔]\s*(?:牵头|牵头单位|主责)\s*[）〕]$/;
const RESPONSIBLE_MARK = /[（〔]\s*(?:配合|参与|协办|责任单位|配合单位)\s*[）〕]$/;

/**
 * Reads the unit lists of a task's lead and responsible fields. Each list is split into clauses at
 * ，；: a clause that is a time phrase is a deadline, not a unit; a clause ending in 牵头 leads
 * and one ending in 配合/按职责分工负责 is responsible, whatever the label said; a name marked
 * "（牵头）" leads ("责任单位：县市场监管局（牵头）、县税务局"). A piece that reads as a clause of a
 * sentence rather than a unit name is left out with a warning. Names resolve through the registry;
 * names it does not know are returned with their lines.
 */
export function readUnitFields(fields: readonly FieldAt[], units: UnitRegistry, taskName: string): UnitFieldsReading {
  const reading: UnitFieldsReading = { leadUnits: [], responsibleUnits: [], deadlines: [], unknown: [], warnings: [] };
  const add = (role: 'lead' | 'responsible', name: string, line: number): void => {
    const canonical = units.canonical(name);
    if (!units.has(canonical) && !reading.unknown.some((unit) => unit.name === canonical)) reading.unknown.push({ name: canonical, line });
    const list = role === 'lead' ? reading.leadUnits : reading.responsibleUnits;
    if (!list.includes(canonical)) list.push(canonical);
  };
  for (const field of fields) {
    if (field.role === 'deadline') continue;
    let named = 0;
    for (const clause of clausesOf(field.value)) {
      const folded = foldText(clause);
      if (!units.has(clause) && readDeadline(clause, null).recognized) {
        reading.deadlines.push({ role: 'deadline', label: field.label, value: clause, line: field.line });
        continue;
      }
      const suffix = LEAD_CLAUSE.exec(folded) ?? RESPONSIBLE_CLAUSE.exec(folded) ?? PLAIN_CLAUSE.exec(folded);
      const role = suffix === null || PLAIN_CLAUSE.test(suffix[0]) ? field.role : LEAD_CLAUSE.test(suffix[0]) ? 'lead' : 'responsible';
      const list = suffix === null || units.has(clause) ? clause : clause.slice(0, clause.length - suffix[0].length);
      for (const written of splitUnitList(list)) {
        const mark = units.has(written) ? null : (LEAD_MARK.exec(foldText(written)) ?? RESPONSIBLE_MARK.exec(foldText(written)));
        const name = mark ? written.slice(0, mark.index).trim() : written;
        if (name === '') continue;
        if (!units.has(name) && looksLikeClause(name)) {
          reading.warnings.push({ line: field.line, message: `${taskName}的“${field.label}”中“${excerpt(name)}”不像单位名称，未作为单位` });
          continue;
        }
        add(mark ? (LEAD_MARK.test(mark[0]) ? 'lead' : 'responsible') : role, name, field.line);
        named += 1;
      }
    }
    if (named === 0 && !reading.deadlines.some((deadline) => deadline.line === field.line)) {
      reading.warnings.push({ line: field.line, message: `${taskName}的“${field.label}”后没有单位名称` });
    }
  }
  return reading;
}

function clausesOf(value: string): string[] {
  const folded = foldText(value);
  const clauses: string[] = [];
  let start = 0;
  // Split at ，and ； outside brackets, so "X（牵头，负责统筹）" stays one piece.
  let depth = 0;
  for (let index = 0; index < folded.length; index += 1) {
    const char = folded.charAt(index);
    if (char === '（' || char === '〔') depth += 1;
    else if ((char === '）' || char === '〕') && depth > 0) depth -= 1;
    else if (depth === 0 && (char === '，' || char === '；')) {
      clauses.push(value.slice(start, index));
      start = index + 1;
    }
  }
  clauses.push(value.slice(start));
  return clauses.map((clause) => clause.trim().replace(/[。.]$/, '')).filter((clause) => clause !== '');
}
