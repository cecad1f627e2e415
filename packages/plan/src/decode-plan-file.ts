import { PlanInputError } from './plan-input-error.ts';

/** The encodings a plan's text file may be in; detected from the bytes, never asked. */
export type PlanTextEncoding = 'utf-8' | 'gb18030';

/**
 * Turns the bytes of a plan file into text: UTF-8 (a BOM dropped), else GB18030 (which includes
 * GBK and GB2312, as Chinese Windows saves "ANSI" text); refuses binary (NUL bytes), UTF-16 and
 * bytes that are neither with a `PlanInputError`; turns CRLF and CR into LF.
 */
export function decodePlanFile(bytes: Uint8Array): string {
  return decodePlanText(bytes).text;
}

/** `decodePlanFile`, and the encoding it found. */
export function decodePlanText(bytes: Uint8Array): { text: string; encoding: PlanTextEncoding } {
  if (hasUtf16Bom(bytes)) {
    throw new PlanInputError(
      'utf16',
      '文件是 UTF-16 编码，请另存为 UTF-8 后再导入 / the file is UTF-16 encoded; save it as UTF-8 and try again',
    );
  }
  if (bytes.includes(0)) {
    throw new PlanInputError(
      'binary',
      '文件不是文本文件（含有 NUL 字节），请提供 .docx、.xlsx、.md 或 .txt 文件 / not a text file (it contains NUL bytes); give a .docx, .xlsx, .md or .txt file',
    );
  }
  for (const encoding of ['utf-8', 'gb18030'] as const) {
    try {
      const text = new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
      return { text: text.replace(/\r\n?/g, '\n'), encoding };
    } catch {
      // Not this encoding; try the next.
    }
  }
  throw new PlanInputError(
    'encoding',
    '文件既不是 UTF-8 也不是 GB18030/GBK 编码的文本，请另存为 UTF-8 / the file is neither UTF-8 nor GB18030/GBK text; save it as UTF-8',
  );
}

function hasUtf16Bom(bytes: Uint8Array): boolean {
  const [first, second] = bytes;
  return (first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff);
}
