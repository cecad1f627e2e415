import { crc32, deflateRawSync } from 'node:zlib';
import { Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import ExcelJS from 'exceljs';

/** A block of a Word file: a paragraph, or a table of rows of cells (a cell `{ text, rowSpan }` merges down). */
export type WordBlock = string | { rows: Array<Array<string | { text: string; rowSpan: number }>> };

/** A real .docx made by the `docx` library. */
export async function wordFile(blocks: readonly WordBlock[]): Promise<Uint8Array> {
  const children = blocks.map((block) =>
    typeof block === 'string'
      ? new Paragraph(block)
      : new Table({
          rows: block.rows.map((row) => new TableRow({
            children: row.map((cell) => typeof cell === 'string'
              ? new TableCell({ children: [new Paragraph(cell)] })
              : new TableCell({ children: [new Paragraph(cell.text)], rowSpan: cell.rowSpan })),
          })),
        }),
  );
  return new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children }] })));
}

/** A real .xlsx made by exceljs; `build` fills the workbook. */
export async function excelFile(build: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** One entry of a hand-made zip; `declaredSize` lies about the uncompressed size when given. */
export interface ZipInput {
  name: string;
  data: Uint8Array | string;
  declaredSize?: number;
}

/** A zip written by hand (deflated entries), to make files no office program would write. */
export function zipFile(entries: readonly ZipInput[]): Uint8Array {
  const locals: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data) : Buffer.from(entry.data);
    const compressed = deflateRawSync(data);
    const name = Buffer.from(entry.name);
    const size = entry.declaredSize ?? data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    directory.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directoryBytes, end]));
}

const CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>';

/** A minimal Word-like zip (word/document.xml) holding the given extra entries. */
export function wordLikeZip(extra: readonly ZipInput[] = [], contentTypes = CONTENT_TYPES): Uint8Array {
  return zipFile([{ name: '[Content_Types].xml', data: contentTypes }, { name: 'word/document.xml', data: '<w:document/>' }, ...extra]);
}
