/** One entry of a zip archive's central directory: what the archive says it holds. */
export interface ZipEntry {
  readonly name: string;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const END_RECORD_SIZE = 22;
const MAX_COMMENT = 0xffff;

/**
 * The central directory of a zip archive from the archive's last bytes (`tail`, the final
 * `tail.length` bytes of a file of `fileSize` bytes), or a reason in Chinese why it cannot be read:
 * no end record, a directory outside the tail, a ZIP64 archive. Reads sizes as the archive declares
 * them, without inflating anything. Pure.
 */
export function readZipDirectory(tail: Uint8Array, fileSize: number): ZipEntry[] | { readonly refused: string } {
  const bytes = Buffer.from(tail.buffer, tail.byteOffset, tail.byteLength);
  const tailStart = fileSize - bytes.length;
  let end = -1;
  for (let i = bytes.length - END_RECORD_SIZE; i >= Math.max(0, bytes.length - END_RECORD_SIZE - MAX_COMMENT); i--) {
    if (bytes.readUInt32LE(i) === END_OF_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) return { refused: '压缩文件已损坏：找不到文件目录' };
  const count = bytes.readUInt16LE(end + 10);
  const size = bytes.readUInt32LE(end + 12);
  const offset = bytes.readUInt32LE(end + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) return { refused: '不支持 ZIP64 格式的压缩文件' };
  if (offset < tailStart || offset + size > fileSize) return { refused: '压缩文件的目录过大或已损坏' };
  const entries: ZipEntry[] = [];
  let at = offset - tailStart;
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== DIRECTORY_ENTRY) return { refused: '压缩文件已损坏：文件目录不完整' };
    const compressedSize = bytes.readUInt32LE(at + 20);
    const uncompressedSize = bytes.readUInt32LE(at + 24);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extraLength = bytes.readUInt16LE(at + 30);
    const commentLength = bytes.readUInt16LE(at + 32);
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff) return { refused: '不支持 ZIP64 格式的压缩文件' };
    entries.push({ name: bytes.toString('utf8', at + 46, at + 46 + nameLength), compressedSize, uncompressedSize });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
