import type { ZipEntry } from './zip-directory.ts';

/** What an evidence file may be, judged by its bytes (file-type's `mime`), with the Chinese word for it. */
export const acceptedFileTypes: Readonly<Record<string, string>> = {
  'application/pdf': 'PDF 文件',
  'image/png': 'PNG 图片',
  'image/jpeg': 'JPEG 图片',
  'image/gif': 'GIF 图片',
  'image/webp': 'WebP 图片',
  'image/heic': 'HEIC 图片',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word 文档（.docx）',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel 表格（.xlsx）',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint 演示文稿（.pptx）',
  'application/zip': 'ZIP 压缩包',
};

/** The types a page may show in place (an image in an <img>, a PDF in the browser's viewer); every other is downloaded. */
export const previewableTypes: ReadonlySet<string> = new Set(['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** Types that are zip archives underneath, whose directory is checked before they are kept. */
export const zipTypes: ReadonlySet<string> = new Set([
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
]);

/** An archive may declare at most this much content, and at most this many times its own size. */
const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;
const MAX_RATIO = 100;
const MAX_ENTRIES = 10_000;

/**
 * Why a file of this sniffed type cannot be kept, or undefined when it may: a type not on the list
 * (HTML, SVG, scripts and anything unrecognised among them), a macro-enabled Office file, an archive
 * that declares far more content than it holds (a zip bomb). Pure.
 */
export function refusalOfContent(type: string | undefined, size: number, zip: readonly ZipEntry[] | { readonly refused: string } | undefined): string | undefined {
  if (size === 0) return '文件是空的';
  if (type === undefined || !Object.hasOwn(acceptedFileTypes, type)) {
    return '文件类型不受支持（按文件内容判断，而非扩展名）：请上传 PDF、图片（PNG、JPEG、GIF、WebP、HEIC）、Word（.docx）、Excel（.xlsx）、PowerPoint（.pptx）或 ZIP 压缩包';
  }
  if (!zipTypes.has(type)) return undefined;
  if (zip === undefined) return '压缩文件已损坏：找不到文件目录';
  if ('refused' in zip) return zip.refused;
  if (zip.length > MAX_ENTRIES) return `压缩文件含有 ${zip.length} 个文件，超过上限 ${MAX_ENTRIES}`;
  if (zip.some((entry) => /(^|\/)vbaProject\.bin$/i.test(entry.name))) return '文件含有宏（如 .docm、.xlsm），不予接收：请另存为不含宏的 .docx 或 .xlsx';
  const unpacked = zip.reduce((sum, entry) => sum + entry.uncompressedSize, 0);
  if (unpacked > MAX_UNPACKED_BYTES || unpacked > Math.max(size, 1024 * 1024) * MAX_RATIO) return '压缩文件解压后的体积异常（疑似压缩炸弹），不予接收';
  return undefined;
}

/**
 * Why a file name as the browser sent it cannot be kept, or undefined: empty, longer than 200
 * characters, a path (`/`, `\`, `..`), control characters (CR, LF, NUL…). Pure.
 */
export function refusalOfName(name: string): string | undefined {
  if (name.trim().length === 0) return '文件名不能为空';
  if ([...name].length > 200) return '文件名过长（不超过 200 个字符）';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(name)) return '文件名含有控制字符（如换行）';
  if (/[/\\]/.test(name) || name.trim() === '.' || name.trim() === '..') return '文件名不能含有路径（/、\\ 或 ..）';
  return undefined;
}

/** Markup a browser would run if it ever took the bytes for a page (its sniffer looks at the first bytes). */
const ACTIVE_MARKUP = /<\s*(?:!doctype\s+html|html|head|body|script|iframe|svg|object|embed|img\s[^>]*on\w+\s*=)/i;
/** How far into a file active markup is looked for: past the 512 bytes browsers sniff, and then some. */
export const MARKUP_SCAN_BYTES = 4096;

/**
 * Why a file that passed as one accepted type is refused as a polyglot — bytes valid as two kinds at
 * once — or undefined: HTML or SVG markup among its first bytes (a PDF or image that is also a page),
 * or an archive appended to an image or PDF (its directory found at the end of a file that is not a
 * zip). Pure.
 */
export function refusalOfPolyglot(type: string, head: Uint8Array, appendedZip: readonly ZipEntry[] | { readonly refused: string } | undefined): string | undefined {
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, MARKUP_SCAN_BYTES)).toString('latin1');
  if (ACTIVE_MARKUP.test(text)) return '文件开头含有网页或脚本代码（疑似伪装文件），不予接收';
  if (!zipTypes.has(type) && Array.isArray(appendedZip) && appendedZip.length > 0) return '文件末尾附带压缩包（疑似伪装文件），不予接收';
  return undefined;
}
