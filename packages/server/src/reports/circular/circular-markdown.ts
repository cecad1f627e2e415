import type { Circular, CircularTask, CircularUnit } from './circular.ts';
import { circularHeadings } from './circular.ts';

/** The circular as Markdown (CommonMark), every piece of task or unit text escaped. Pure. */
export function circularMarkdown(circular: Circular): string {
  const { sections } = circular;
  const blocks = [
    `# ${md(circular.title)}`,
    ...(circular.number === undefined ? [] : [md(circular.number)]),
    `${md(circular.addressees)}：`,
    md(circular.opening),
    `## ${circularHeadings.overview}`,
    ...sections.overview.map(md),
    ...(sections.instructions.items.length === 0 ? [] : [md(sections.instructions.intro), ...list(sections.instructions.items.map((item) => `- ${md(item)}`))]),
    `## ${circularHeadings.completed}`,
    md(sections.completed.intro),
    ...list(sections.completed.tasks.map(taskLine)),
    `## ${circularHeadings.overdue}`,
    md(sections.overdue.intro),
    ...list(sections.overdue.tasks.map(taskLine)),
    `## ${circularHeadings.commended}`,
    md(sections.commended.intro),
    ...list(sections.commended.units.map(unitLine)),
    `## ${circularHeadings.criticised}`,
    md(sections.criticised.intro),
    ...list(sections.criticised.units.map(unitLine)),
    `## ${circularHeadings.requirements}`,
    ...sections.requirements.map(md),
    md(circular.issuer),
    md(circular.issuedOn),
  ];
  return `${blocks.join('\n\n')}\n`;
}

/** One listed task as a sentence: 第N项：text（牵头单位：…；责任单位：…；note）. Unescaped. Pure. */
export function circularTaskText(task: CircularTask): string {
  const parts = [`牵头单位：${task.leadUnits.join('、')}`];
  if (task.responsibleUnits.length > 0) parts.push(`责任单位：${task.responsibleUnits.join('、')}`);
  if (task.note !== '') parts.push(task.note);
  return `第${task.number}项：${task.text}（${parts.join('；')}）`;
}

/** One listed unit as a sentence: unit：reason；reason。 Unescaped. Pure. */
export function circularUnitText(unit: CircularUnit): string {
  return `${unit.unit}：${unit.reasons.join('；')}。`;
}

function taskLine(task: CircularTask): string {
  return `- ${md(circularTaskText(task))}`;
}

function unitLine(unit: CircularUnit): string {
  return `- ${md(circularUnitText(unit))}`;
}

function list(lines: string[]): string[] {
  return lines.length === 0 ? [] : [lines.join('\n')];
}

// Characters Markdown could read as syntax; Chinese text rarely holds them, task text may.
function md(text: string): string {
  return text.replace(/[\\`*_[\]<>#|~]/g, (c) => `\\${c}`).replace(/^(\d+)([.)])/, '$1\\$2').replace(/^([-+])(\s)/, '\\$1$2');
}
