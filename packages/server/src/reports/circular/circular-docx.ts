import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { Circular, CircularTask, CircularUnit } from './circular.ts';
import { circularHeadings } from './circular.ts';

// Official documents (GB/T 9704): A4; title in 小标宋 二号 (22 pt), body in 仿宋 三号 (16 pt); margins 37/26/35/28 mm.
const MM = 56.7;
const BODY_FONT = { ascii: 'FangSong', eastAsia: '仿宋_GB2312', hAnsi: 'FangSong' };
const TITLE_FONT = { ascii: 'SimSun', eastAsia: '方正小标宋简体', hAnsi: 'SimSun' };
const HEADING_FONT = { ascii: 'SimHei', eastAsia: '黑体', hAnsi: 'SimHei' };
const BODY_SIZE = 32;
const TABLE_SIZE = 24;

/**
 * The circular as a Word document (.docx, written by the `docx` package) for the office to edit: the
 * title, the number (文号) when issued, the addressees, each section's paragraphs, the listed tasks as
 * tables (序号, 任务, 牵头单位, 责任单位, 情况) and the units as lists, the issuer and the date. No IO;
 * resolves the file's bytes.
 */
export async function circularDocx(circular: Circular): Promise<Buffer> {
  const { sections } = circular;
  const children: (Paragraph | Table)[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [run(circular.title, { font: TITLE_FONT, size: 44 })] }),
    ...(circular.number === undefined ? [] : [new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [run(circular.number)] })]),
    new Paragraph({ children: [run(`${circular.addressees}：`)] }),
    body(circular.opening),
    heading(circularHeadings.overview),
    ...sections.overview.map(body),
    ...(sections.instructions.items.length === 0 ? [] : [body(sections.instructions.intro), ...sections.instructions.items.map(body)]),
    heading(circularHeadings.completed),
    body(sections.completed.intro),
    ...taskTable(sections.completed.tasks),
    heading(circularHeadings.overdue),
    body(sections.overdue.intro),
    ...taskTable(sections.overdue.tasks),
    heading(circularHeadings.commended),
    body(sections.commended.intro),
    ...sections.commended.units.map(unitParagraph),
    heading(circularHeadings.criticised),
    body(sections.criticised.intro),
    ...sections.criticised.units.map(unitParagraph),
    heading(circularHeadings.requirements),
    ...sections.requirements.map(body),
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 480 }, children: [run(circular.issuer)] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(circular.issuedOn)] }),
  ];
  const document = new Document({
    creator: circular.issuer,
    title: circular.title,
    styles: { default: { document: { run: { font: BODY_FONT, size: BODY_SIZE } } } },
    sections: [
      {
        properties: { page: { size: { width: Math.round(210 * MM), height: Math.round(297 * MM) }, margin: { top: Math.round(37 * MM), bottom: Math.round(35 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM) } } },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}

function run(text: string, options: { font?: typeof BODY_FONT; size?: number; bold?: boolean } = {}): TextRun {
  return new TextRun({ text, font: options.font ?? BODY_FONT, size: options.size ?? BODY_SIZE, ...(options.bold === true ? { bold: true } : {}) });
}

function body(text: string): Paragraph {
  return new Paragraph({ indent: { firstLine: 640 }, spacing: { line: 560 }, children: [run(text)] });
}

function heading(text: string): Paragraph {
  return new Paragraph({ spacing: { before: 240 }, indent: { firstLine: 640 }, keepNext: true, children: [run(text, { font: HEADING_FONT })] });
}

function unitParagraph(unit: CircularUnit): Paragraph {
  return body(`${unit.unit}：${unit.reasons.join('；')}。`);
}

const TASK_COLUMNS = [
  { title: '序号', width: 8 },
  { title: '任务', width: 38 },
  { title: '牵头单位', width: 16 },
  { title: '责任单位', width: 16 },
  { title: '情况', width: 22 },
] as const;

/** The listed tasks as a table with a header row; nothing for no task. */
function taskTable(tasks: readonly CircularTask[]): Table[] {
  if (tasks.length === 0) return [];
  const cell = (text: string, width: number, bold = false) =>
    new TableCell({ width: { size: width, type: WidthType.PERCENTAGE }, children: [new Paragraph({ children: [run(text, { size: TABLE_SIZE, bold })] })] });
  const header = new TableRow({ tableHeader: true, children: TASK_COLUMNS.map((column) => cell(column.title, column.width, true)) });
  const rows = tasks.map(
    (task) =>
      new TableRow({
        cantSplit: true,
        children: [String(task.number), task.text, task.leadUnits.join('、'), task.responsibleUnits.join('、') || '—', task.note || '—'].map((text, i) => cell(text, TASK_COLUMNS[i]!.width)),
      }),
  );
  return [new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] })];
}
