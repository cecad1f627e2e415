import { PlanInputError } from './plan-input-error.ts';

/**
 * Turns the bytes of a plan file into text: refuses binary (NUL bytes), UTF-16 and anything that
 * is not valid UTF-8 with a `PlanInputError`; drops a UTF-8 BOM; turns CRLF and CR into LF.
 */
export function decodePlanFile(bytes: Uint8Array): string {
  if (hasUtf16Bom(bytes)) {
    throw new PlanInputError(
      'utf16',
      '文件是 UTF-16 编码，请另存为 UTF-8 后再导入 / the file is UTF-16 encoded; save it as UTF-8 and try again',
    );
  }
  if (bytes.includes(0)) {
    throw new PlanInputError(
      'binary',
      '文件不是文本文件（含有 NUL 字节），请提供 .md 或 .txt 文本 / not a text file (it contains NUL bytes); give a .md or .txt file',
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new PlanInputError(
      'encoding',
      '文件不是有效的 UTF-8 文本（可能是 GBK 编码），请另存为 UTF-8 / the file is not valid UTF-8 (GBK perhaps); save it as UTF-8',
    );
  }
  return text.replace(/\r\n?/g, '\n');
}

function hasUtf16Bom(bytes: Uint8Array): boolean {
  const [first, second] = bytes;
  return (first === 0xff && second === 0xfe) || (first === 0xfe && second === 0xff);
}
