import mammoth from 'mammoth';
import type { DocumentLines } from './document-lines.ts';
import { joinCellParagraphs, tableRow } from './document-lines.ts';

/** The parts of mammoth's document tree read here (its `transformDocument` hands it over). */
interface DocxElement {
  type: string;
  children?: DocxElement[];
  value?: string;
  breakType?: string;
  numbering?: { isOrdered: boolean; level: string } | null;
  rowSpan?: number;
  colSpan?: number;
}

/**
 * The lines of a .docx: each paragraph a line (a line break inside it starts another), each table
 * of several columns its rows as Markdown table rows (vertically merged cells repeated on every
 * row they span), a one-column table its paragraphs. Word's automatic numbering is not part of
 * the text mammoth reads, so paragraphs numbered that way get a warning. Async (mammoth unzips).
 */
export async function docxLines(bytes: Uint8Array): Promise<DocumentLines> {
  let root: DocxElement | null = null;
  await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
    {
      // Take the document tree and hand mammoth an empty one, so no HTML is made.
      transformDocument: (document: DocxElement) => {
        root = document;
        return { ...document, children: [] };
      },
    },
  );
  const out: DocumentLines = { lines: [], where: [], warnings: [] };
  const counters = { paragraph: 0, table: 0, autoNumbered: [] as number[] };
  const push = (line: string, where: string): void => {
    out.lines.push(line);
    out.where.push(where);
  };
  const visit = (element: DocxElement): void => {
    if (element.type === 'paragraph') {
      counters.paragraph += 1;
      const text = textOf(element);
      if (element.numbering?.isOrdered && text.trim() !== '' && !/^\s*[（(]?[\d一二三四五六七八九十]/.test(text)) counters.autoNumbered.push(out.lines.length + 1);
      for (const line of text.split('\n')) push(line, `第${counters.paragraph}段`);
    } else if (element.type === 'table') {
      counters.table += 1;
      const rows = tableCells(element);
      const table = counters.table;
      if (rows.every((row) => row.filter((cell) => cell !== '').length <= 1)) {
        rows.forEach((row, index) => {
          for (const line of row.join('').split('\n')) push(line, `第${table}个表格第${index + 1}行`);
        });
      } else {
        push('', `第${table}个表格前`);
        rows.forEach((row, index) => push(tableRow(row), `第${table}个表格第${index + 1}行`));
        push('', `第${table}个表格后`);
      }
    } else {
      for (const child of element.children ?? []) visit(child);
    }
  };
  if (root) visit(root);
  const [first] = counters.autoNumbered;
  if (first !== undefined) {
    out.warnings.push({
      line: first,
      message: `有${counters.autoNumbered.length}段使用了 Word 自动编号，自动编号读不出来，这些段落的编号可能缺失；请在 Word 中把编号转为文本（或手工输入编号）后再导入`,
    });
  }
  return out;
}

function textOf(element: DocxElement): string {
  switch (element.type) {
    case 'text':
      return element.value ?? '';
    case 'tab':
      return ' ';
    case 'break':
      return element.breakType === 'line' || element.breakType === undefined ? '\n' : '';
    case 'noteReference':
    case 'commentReference':
    case 'comment':
    case 'note':
    case 'image':
      return '';
    default:
      return (element.children ?? []).map(textOf).join('');
  }
}

/** The cells of a table as text, row by row; a cell merged down is repeated on the rows it spans. */
function tableCells(table: DocxElement): string[][] {
  const spanning = new Map<number, { text: string; rows: number }>();
  const rows: string[][] = [];
  for (const row of (table.children ?? []).filter((child) => child.type === 'tableRow')) {
    const cells: string[] = [];
    const fillSpans = (): void => {
      for (let span = spanning.get(cells.length); span !== undefined; span = spanning.get(cells.length)) {
        cells.push(span.text);
        span.rows -= 1;
        if (span.rows === 0) spanning.delete(cells.length - 1);
      }
    };
    for (const cell of (row.children ?? []).filter((child) => child.type === 'tableCell')) {
      fillSpans();
      const paragraphs = (cell.children ?? []).map((child) => textOf(child).replace(/\n/g, ' '));
      const text = joinCellParagraphs(paragraphs);
      if ((cell.rowSpan ?? 1) > 1) spanning.set(cells.length, { text, rows: (cell.rowSpan ?? 1) - 1 });
      cells.push(text);
      for (let extra = 1; extra < (cell.colSpan ?? 1); extra += 1) cells.push('');
    }
    fillSpans();
    rows.push(cells);
  }
  return rows;
}
