import { refuseFile } from '../plan-input-error.ts';
import { inflateEntry, looksLikeZip, readZipEntries } from './zip-entries.ts';
import type { ZipEntry } from './zip-entries.ts';

/** What a plan file really is, by its bytes: a Word document, an Excel workbook, text, or Plan JSON. */
export type PlanFileKind = 'docx' | 'xlsx' | 'text' | 'json';

/** Limits on what is accepted before any parser sees the bytes. */
export interface PlanFileLimits {
  /** The largest file accepted, in bytes. */
  maxBytes: number;
  /** The most a .docx or .xlsx may declare once uncompressed, all entries together. */
  maxUncompressedBytes: number;
}

/** 20 MB: a plan with thousands of tasks is a few hundred kilobytes. */
export const DEFAULT_PLAN_MAX_BYTES = 20 * 1024 * 1024;
/** What a zip's entries may add up to once uncompressed, by default. */
export const DEFAULT_PLAN_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;
// Office XML compresses about 5 to 30 times; a thousand times is a bomb.
const MAX_RATIO = 200;
const MAX_ENTRIES = 10_000;

type Claimed = PlanFileKind | 'docm' | 'xlsm' | 'old-word' | 'pdf' | 'old-excel' | null;
type Actual = 'docx' | 'xlsx' | 'pptx' | 'odf' | 'zip' | 'pdf' | 'ole' | 'rtf' | 'text' | 'binary';

const CLAIMED_BY_EXTENSION: Record<string, Claimed> = {
  docx: 'docx', docm: 'docm', xlsx: 'xlsx', xlsm: 'xlsm', md: 'text', markdown: 'text', txt: 'text', text: 'text',
  json: 'json', doc: 'old-word', wps: 'old-word', rtf: 'old-word', odt: 'old-word', wpt: 'old-word', dot: 'old-word',
  pdf: 'pdf', xls: 'old-excel', et: 'old-excel', ods: 'old-excel', csv: 'old-excel',
};

const ACTUAL_NAMES: Record<Actual, [string, string]> = {
  docx: ['Word 文档（.docx）', 'a Word document (.docx)'],
  xlsx: ['Excel 工作簿（.xlsx）', 'an Excel workbook (.xlsx)'],
  pptx: ['PowerPoint 演示文稿', 'a PowerPoint presentation'],
  odf: ['OpenDocument 文件', 'an OpenDocument file'],
  zip: ['压缩包', 'a zip archive'],
  pdf: ['PDF 文件', 'a PDF file'],
  ole: ['旧版 Office/WPS 文件（.doc/.xls/.wps）', 'an old Office/WPS file (.doc/.xls/.wps)'],
  rtf: ['RTF 文件', 'an RTF file'],
  text: ['文本文件', 'a text file'],
  binary: ['二进制文件', 'a binary file'],
};

/**
 * Decides what a plan file is from its bytes, checks that its extension says the same, and
 * refuses — naming the file and the reason — an empty or oversized file, a zip bomb (declared
 * sizes too large, or an entry that inflates to more than it declares), a macro-enabled document,
 * an old .doc/.wps/.pdf (save it as .docx), and a file whose extension lies about its bytes.
 * Throws PlanInputError; returns only for a file a reader may open.
 */
export function detectPlanFile(bytes: Uint8Array, fileName: string, limits: PlanFileLimits): PlanFileKind {
  checkPlanFileSize(bytes.length, fileName, limits.maxBytes);
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const claimed = CLAIMED_BY_EXTENSION[extension] ?? null;
  if (claimed === 'docm' || claimed === 'xlsm') throw macroRefusal(fileName);
  const actual = looksLikeZip(bytes) ? zipKind(bytes, fileName, limits) : plainKind(bytes);

  if (claimed === 'old-word' || claimed === 'pdf' || claimed === 'old-excel') {
    if (actual === 'docx' || actual === 'xlsx' || (actual === 'text' && claimed !== 'old-excel')) throw lie(fileName, extension, actual);
    throw saveAs(fileName, claimed === 'old-excel' ? 'xlsx' : 'docx');
  }
  if (actual === 'docx' || actual === 'xlsx') {
    if (claimed !== null && claimed !== actual) throw lie(fileName, extension, actual);
    return actual;
  }
  if (actual === 'text') {
    if (claimed === 'docx' || claimed === 'xlsx') throw lie(fileName, extension, actual);
    return claimed === 'json' ? 'json' : 'text';
  }
  if (claimed !== null) throw lie(fileName, extension, actual);
  if (actual === 'ole' || actual === 'pdf' || actual === 'rtf' || actual === 'odf') throw saveAs(fileName, 'docx');
  throw refuseFile('unsupported', fileName, `是${ACTUAL_NAMES[actual][0]}，不是计划文件；请提供 .docx、.xlsx、.md、.txt 或 .json`, `${ACTUAL_NAMES[actual][1]} is not a plan; give a .docx, .xlsx, .md, .txt or .json file`);
}

/** Refuses an empty file, or one larger than `maxBytes`, naming it; a caller may check a file's size before reading it. */
export function checkPlanFileSize(size: number, fileName: string, maxBytes: number = DEFAULT_PLAN_MAX_BYTES): void {
  if (size === 0) throw refuseFile('empty', fileName, '是空文件', 'the file is empty');
  if (size > maxBytes) {
    throw refuseFile('too-large', fileName, `太大（${megabytes(size)}，上限 ${megabytes(maxBytes)}）`, `the file is too large (${size} bytes, at most ${maxBytes})`);
  }
}

function zipKind(bytes: Uint8Array, fileName: string, limits: PlanFileLimits): Actual {
  const entries = readZipEntries(bytes);
  if (entries === null) throw refuseFile('damaged', fileName, '已损坏（压缩包目录无法读取）', 'the file is damaged (its zip directory cannot be read)');
  checkSizes(entries, bytes.length, fileName, limits);
  const names = new Set(entries.map((entry) => entry.name));
  const kind: Actual = names.has('word/document.xml') ? 'docx'
    : names.has('xl/workbook.xml') ? 'xlsx'
    : names.has('ppt/presentation.xml') ? 'pptx'
    : names.has('mimetype') && names.has('content.xml') ? 'odf'
    : 'zip';
  if (kind !== 'docx' && kind !== 'xlsx') return kind;
  // Inflate every entry once against its declared size: a bomb that lies about its sizes stops here.
  let contentTypes = '';
  for (const entry of entries) {
    let inflated: Uint8Array;
    try {
      inflated = inflateEntry(bytes, entry);
    } catch (error) {
      if (error instanceof RangeError) throw bomb(fileName);
      throw refuseFile('damaged', fileName, `已损坏（${entry.name} 无法解压）`, `the file is damaged (${entry.name} cannot be inflated)`);
    }
    if (entry.name === '[Content_Types].xml') contentTypes = new TextDecoder().decode(inflated);
  }
  if (entries.some((entry) => /(?:^|\/)vbaProject\.bin$/i.test(entry.name)) || /macroEnabled/i.test(contentTypes)) throw macroRefusal(fileName);
  return kind;
}

function checkSizes(entries: readonly ZipEntry[], size: number, fileName: string, limits: PlanFileLimits): void {
  const total = entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  const worst = entries.reduce((max, entry) => Math.max(max, entry.uncompressedSize / Math.max(1, entry.compressedSize)), 0);
  if (entries.length > MAX_ENTRIES || total > limits.maxUncompressedBytes || (worst > MAX_RATIO && total > 1024 * 1024) || total / size > MAX_RATIO * 4) {
    throw bomb(fileName);
  }
}

function plainKind(bytes: Uint8Array): Actual {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 8));
  if (head.startsWith('%PDF')) return 'pdf';
  if (head === '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1') return 'ole';
  if (head.startsWith('{\\rtf')) return 'rtf';
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  return utf16 || !bytes.includes(0) ? 'text' : 'binary';
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function bomb(fileName: string) {
  return refuseFile('zip-bomb', fileName, '解压后异常巨大（疑似压缩炸弹），已拒绝', 'the file would inflate to an abnormal size (a zip bomb?); refused');
}

function macroRefusal(fileName: string) {
  return refuseFile('macro', fileName, '含有宏（启用宏的文档），出于安全原因不接受；请另存为不含宏的 .docx 或 .xlsx', 'macro-enabled documents are refused; save it as a .docx or .xlsx without macros');
}

function saveAs(fileName: string, extension: 'docx' | 'xlsx') {
  const program = extension === 'docx' ? 'Word 或 WPS 文字' : 'Excel 或 WPS 表格';
  return refuseFile('save-as', fileName, `的格式无法读取；请用${program}打开，另存为 .${extension} 后再导入`, `this format cannot be read; open it and save it as .${extension}`);
}

function lie(fileName: string, extension: string, actual: Actual) {
  const [zh, en] = ACTUAL_NAMES[actual];
  return refuseFile('wrong-extension', fileName, `的扩展名是 .${extension}，但内容是${zh}；请确认文件后改正扩展名`, `the extension says .${extension} but the file is ${en}`);
}
