import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { AuditEntry } from '@duban/engine';
import { z } from 'zod';
import { auditEntryFields } from '../audit-entry-fields.ts';

/** An entries.jsonl line: an AuditEntry exactly as the engine hashes it, plus its hash. */
const entryLine = z.strictObject({ ...auditEntryFields, instanceId: z.string() });

/** A line of entries.jsonl that is not an audit entry. */
export class MalformedLogLine extends Error {
  override readonly name = 'MalformedLogLine';

  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line} of ${file} is not an audit entry: ${reason}`);
  }
}

/**
 * The audit entries of an export's entries.jsonl, one line at a time (the file is never read whole).
 * Blank lines are skipped; a line that is not an entry throws MalformedLogLine. Does IO.
 */
export async function* logDirectoryEntries(file: string): AsyncGenerator<AuditEntry> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const line of lines) {
      number += 1;
      if (line.trim() === '') continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (error) {
        throw new MalformedLogLine(file, number, `not JSON (${(error as Error).message})`);
      }
      const parsed = entryLine.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new MalformedLogLine(file, number, issue === undefined ? 'invalid' : `${issue.path.join('.') || 'entry'}: ${issue.message}`);
      }
      yield parsed.data as AuditEntry;
    }
  } finally {
    lines.close();
  }
}
