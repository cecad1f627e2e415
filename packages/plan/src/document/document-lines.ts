import type { PlanWarning } from '../plan-schema.ts';

/**
 * A document turned into the lines the plan parser reads: paragraphs as lines, task tables as
 * Markdown table rows. `where[i]` names, for a person, where line i + 1 came from ("第12段",
 * "工作表“任务”第5行"); `warnings` are what the reader itself could not read, on those lines.
 */
export interface DocumentLines {
  lines: string[];
  where: string[];
  warnings: PlanWarning[];
}

/** One Markdown table row of the given cells, a `|` inside a cell escaped. */
export function tableRow(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')).join(' | ')} |`;
}

/**
 * The paragraphs of one cell as one value: joined directly after a mark that ends a phrase
 * ("推进改革，" + "加快建设"), else with a space, so one unit per paragraph still splits.
 */
export function joinCellParagraphs(paragraphs: readonly string[]): string {
  return paragraphs
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .reduce((joined, paragraph) => (joined === '' ? paragraph : /[。；，：、;,:]$/.test(joined) ? joined + paragraph : `${joined} ${paragraph}`), '');
}
