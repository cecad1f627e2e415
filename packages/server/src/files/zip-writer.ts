import { SHANGHAI_OFFSET_MS } from '@duban/reform-task';

/** One file to put in a zip: its name inside the archive, size, CRC-32 and bytes (read only when its turn comes). */
export interface ZipMember {
  readonly name: string;
  readonly size: number;
  readonly crc32: number;
  readonly modified: Date;
  bytes(): AsyncIterable<Uint8Array>;
}

/** A zip without ZIP64 holds at most 4 GiB and 65,535 files. */
export const ZIP_MAX_BYTES = 0xffffffff;

/**
 * A zip archive of `members`, piece by piece: each file stored as it is (evidence is mostly
 * compressed already), with its size and CRC-32 in its local header, names in UTF-8 (flag bit 11),
 * then the central directory. Never holds more than one piece of a file at a time.
 */
export async function* zipPieces(members: readonly ZipMember[]): AsyncGenerator<Uint8Array> {
  const directory: Buffer[] = [];
  let offset = 0;
  for (const member of members) {
    const name = Buffer.from(member.name, 'utf8');
    const { time, date } = dosTime(member.modified);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(member.crc32 >>> 0, 14);
    local.writeUInt32LE(member.size, 18);
    local.writeUInt32LE(member.size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    yield local;
    yield name;
    let written = 0;
    for await (const piece of member.bytes()) {
      written += piece.length;
      yield piece;
    }
    if (written !== member.size) throw new Error(`zipPieces: ${member.name} has ${written} bytes, not ${member.size}`);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(member.crc32 >>> 0, 16);
    central.writeUInt32LE(member.size, 20);
    central.writeUInt32LE(member.size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    directory.push(central, name);
    offset += 30 + name.length + member.size;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(members.length, 8);
  end.writeUInt16LE(members.length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  yield directoryBytes;
  yield end;
}

/** MS-DOS date and time fields, in the archive's local time (UTC+8, where its readers are). */
function dosTime(at: Date): { time: number; date: number } {
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  const year = Math.max(1980, local.getUTCFullYear());
  return {
    time: (local.getUTCHours() << 11) | (local.getUTCMinutes() << 5) | Math.floor(local.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((local.getUTCMonth() + 1) << 5) | local.getUTCDate(),
  };
}
