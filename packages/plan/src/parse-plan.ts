import type { TaskContext } from './build-task.ts';
import { classifyLine } from './classify-line.ts';
import type { ClassifiedLine } from './classify-line.ts';
import { excerpt } from './excerpt.ts';
import { extractInlineFields } from './extract-inline-fields.ts';
import { extractUnitBracket, readUnitClauses } from './extract-unit-bracket.ts';
import { foldText } from './fold-text.ts';
import { repositoryUnits } from './repository-units.ts';
import type { Plan, PlanTask, PlanWarning } from './plan-schema.ts';
import { readPlanHeader } from './read-plan-header.ts';
import { readRequirements } from './read-requirements.ts';
import { isTaskTable, readTaskTable } from './read-task-table.ts';
import { readTask } from './read-task.ts';
import type { UnknownUnitAt } from './read-unit-fields.ts';
import type { UnitRegistry } from './unit-registry.ts';

/** Options of `parsePlan`. */
export interface ParsePlanOptions {
  /** Resolves aliases to canonical unit names; defaults to `repositoryUnits`. */
  units?: UnitRegistry;
  /** The file name, used in the warning when no task is found. */
  source?: string;
}

/** The message (Chinese) used when a document has no task at all. */
export const NO_TASKS_MESSAGE = '未找到任何任务：应为编号条目（如“1.”或“（一）”）后跟牵头单位/责任单位/完成时限';

interface Section {
  heading: ClassifiedLine | null;
  lines: ClassifiedLine[];
}

interface ReadTask {
  task: PlanTask;
  line: number;
}

interface PlanOutput {
  tasks: ReadTask[];
  requirements: string[];
  warnings: PlanWarning[];
  unknown: UnknownUnitAt[];
}

/** A parsed plan with the unit names the registry does not know, each with the lines it is on. */
export interface ParsedPlan {
  plan: Plan;
  unknownUnits: UnknownUnit[];
}

/** A unit name the registry does not know and the lines that name it, in document order. */
export interface UnknownUnit {
  name: string;
  lines: number[];
}

const REQUIREMENTS_TITLE = /^(?:工作要求|保障措施|组织保障|组织实施|实施保障|有关要求|相关要求|工作保障|保障机制|其他要求|其他事项)。?$/;

/**
 * Parses a plan document (工作要点, plain text or Markdown) into Plan JSON. Pure and total: any
 * string gives a plan; what cannot be read is listed in `warnings` with its 1-based line.
 *
 * Parts are "一、…" headings, measures "（一）…" headings, tasks "1." or "（1）" items with 牵头单位 /
 * 责任单位 / 完成时限 lines or brackets, or rows of a Markdown task table. Where a part has no
 * "1." items, its "（一）" items that carry units are the tasks; a "一、" part with no items or
 * measures that carries units is a task itself. A part named 工作要求/保障措施,
 * or a part after the tasks that carries no units, gives `requirements`.
 */
export function parsePlan(text: string, options: ParsePlanOptions = {}): Plan {
  return parsePlanText(text, options).plan;
}

/** `parsePlan`, and the unknown unit names with their lines (for a preview or for warnings). */
export function parsePlanText(text: string, options: ParsePlanOptions = {}): ParsedPlan {
  const units = options.units ?? repositoryUnits;
  const classified = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/).map((raw, index) => classifyLine(raw, index + 1));
  const header = readPlanHeader(classified);
  // The title, issuer and date lines are read; a signature at the end must not read as stray text.
  const lines = classified.map((line) => (header.lines.has(line.line) ? { ...line, kind: 'blank' as const } : line));
  const output: PlanOutput = { tasks: [], requirements: [], warnings: [...header.warnings], unknown: [] };

  const sections = splitAt(lines, 'part');
  for (const section of sections) {
    const role = sectionRole(section, output.tasks.length > 0);
    if (role === 'task') {
      addTask(output, readTask(section.heading!, section.lines.filter((line) => line.kind !== 'table'), { part: null, measure: null, year: header.year, units }));
    } else if (role === 'requirements') {
      const read = readRequirements(section.lines);
      output.requirements = output.requirements.concat(read.requirements);
      output.warnings = output.warnings.concat(read.warnings);
    } else if (role === 'tasks') {
      readTaskSection(section, { part: section.heading?.text ?? null, year: header.year, units }, output);
    }
  }

  output.warnings = output.warnings.concat(numberingWarnings(output.tasks));
  if (output.tasks.length === 0) {
    output.warnings.push({ line: 1, message: options.source ? `${options.source}：${NO_TASKS_MESSAGE}` : NO_TASKS_MESSAGE });
  }
  const plan: Plan = {
    title: header.title,
    issuer: header.issuer,
    issuedOn: header.issuedOn,
    year: header.year,
    tasks: output.tasks.map((found) => found.task),
    requirements: output.requirements,
    warnings: output.warnings.sort((a, b) => a.line - b.line),
  };
  return { plan, unknownUnits: groupUnknown(output.unknown) };
}

function splitAt(lines: readonly ClassifiedLine[], kind: 'part' | 'measure'): Section[] {
  const sections: Section[] = [{ heading: null, lines: [] }];
  for (const line of lines) {
    if (line.kind === kind) sections.push({ heading: line, lines: [] });
    else sections.at(-1)?.lines.push(line);
  }
  return sections;
}

function sectionRole(section: Section, afterTasks: boolean): 'tasks' | 'task' | 'requirements' | 'preamble' {
  if (section.heading && REQUIREMENTS_TITLE.test(foldText(section.heading.rest).trim())) return 'requirements';
  // "一、推进……。" followed by its own 牵头单位/完成时限 lines: the part is the task itself.
  const bare = !hasItems(section.lines) && !section.lines.some((line) => line.kind === 'measure');
  if (section.heading && bare && [section.heading, ...section.lines].some(carriesUnits)) return 'task';
  if (hasItems(section.lines) || section.lines.some(carriesUnits)) return 'tasks';
  return afterTasks ? 'requirements' : 'preamble';
}

function readTaskSection(section: Section, context: Omit<TaskContext, 'measure'>, output: PlanOutput): void {
  const blocks = splitAt(section.lines, 'measure');
  // Where some （一） blocks are tasks themselves, a block without units is a task missing them,
  // not an empty measure.
  const measuresAreTasks = blocks.some((block) => block.heading && !hasItems(block.lines) && blockCarriesUnits(block));
  for (const block of blocks) {
    const heading = block.heading;
    if (heading && !hasItems(block.lines) && (measuresAreTasks || blockCarriesUnits(block))) {
      addTask(output, readTask(heading, block.lines.filter((line) => line.kind !== 'table'), { ...context, measure: null }));
    } else if (heading && !hasItems(block.lines)) {
      output.warnings.push({ line: heading.line, message: `“${excerpt(heading.text)}”下没有编号任务，也没有写单位` });
    } else {
      readItems(block.lines, { ...context, measure: heading?.text ?? null }, output);
    }
  }
}

function readItems(lines: readonly ClassifiedLine[], context: TaskContext, output: PlanOutput): void {
  let draft: { head: ClassifiedLine; body: ClassifiedLine[] } | null = null;
  const flush = (): void => {
    if (draft) addTask(output, readTask(draft.head, draft.body, context));
    draft = null;
  };
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];
    if (!line) continue;
    if (line.kind === 'item' && line.paren && draft?.head.kind === 'item' && !draft.head.paren) {
      // "（1）…" under a "1." task is a point of that task, not a task of its own.
      draft.body.push({ ...line, kind: 'text' });
    } else if (line.kind === 'item') {
      flush();
      draft = { head: line, body: [] };
    } else if (line.kind === 'table') {
      const rows = tableRowsFrom(lines, index);
      index += rows.length - 1;
      flush();
      const read = readTaskTable(rows, context, (output.tasks.at(-1)?.task.number ?? 0) + 1);
      if (read) {
        output.tasks = output.tasks.concat(read.tasks);
        output.warnings = output.warnings.concat(read.warnings);
        output.unknown = output.unknown.concat(read.unknown);
      }
    } else if (draft) {
      draft.body.push(line);
    } else if (line.kind === 'labels') {
      output.warnings.push({ line: line.line, message: `这一行的单位或时限前面没有编号任务，无法归属：“${excerpt(line.text)}”` });
    }
  }
  flush();
}

function addTask(output: PlanOutput, read: ReadTask & { warnings: PlanWarning[]; unknown: UnknownUnitAt[] }): void {
  output.tasks.push({ task: read.task, line: read.line });
  output.warnings = output.warnings.concat(read.warnings);
  output.unknown = output.unknown.concat(read.unknown);
}

function numberingWarnings(tasks: readonly ReadTask[]): PlanWarning[] {
  const warnings: PlanWarning[] = [];
  let previous: number | null = null;
  for (const { task, line } of tasks) {
    const number = task.number;
    if (previous === null && number !== 1) {
      warnings.push({ line, message: `任务编号从${number}开始，而不是从1开始` });
    } else if (previous !== null && number <= previous) {
      warnings.push({ line, message: `任务编号${number}重复或倒退（上一项为${previous}）` });
    } else if (previous !== null && number > previous + 1) {
      warnings.push({ line, message: `任务编号跳过：${previous}之后是${number}` });
    }
    previous = number;
  }
  return warnings;
}

function hasItems(lines: readonly ClassifiedLine[]): boolean {
  return lines.some((line, index) => line.kind === 'item' || startsTaskTable(lines, index));
}

function startsTaskTable(lines: readonly ClassifiedLine[], index: number): boolean {
  return lines[index]?.kind === 'table' && lines[index - 1]?.kind !== 'table' && isTaskTable(tableRowsFrom(lines, index));
}

function blockCarriesUnits(block: Section): boolean {
  return [block.heading, ...block.lines].some((line) => line !== null && carriesUnits(line));
}

function carriesUnits(line: ClassifiedLine): boolean {
  if (line.kind === 'labels') return true;
  if (line.kind !== 'text' && line.kind !== 'measure' && line.kind !== 'part') return false;
  const text = line.kind === 'text' ? line.text : line.rest;
  return extractInlineFields(text).fields.length > 0 || extractUnitBracket(text) !== null || (line.kind === 'text' && readUnitClauses(text) !== null);
}

function tableRowsFrom(lines: readonly ClassifiedLine[], start: number): ClassifiedLine[] {
  const rows: ClassifiedLine[] = [];
  for (let index = start; lines[index]?.kind === 'table'; index += 1) {
    const row = lines[index];
    if (row) rows.push(row);
  }
  return rows;
}

function groupUnknown(found: readonly UnknownUnitAt[]): UnknownUnit[] {
  const byName = new Map<string, number[]>();
  for (const { name, line } of [...found].sort((a, b) => a.line - b.line)) {
    const lines = byName.get(name) ?? [];
    if (!lines.includes(line)) lines.push(line);
    byName.set(name, lines);
  }
  return [...byName].map(([name, lines]) => ({ name, lines }));
}
