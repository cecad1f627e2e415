import type { AuditEntry, Engine } from '@duban/engine';

/** The audit log's entries up to and including instant `at`, in seq order. Does IO (reads the whole log). */
export async function entriesUpTo(engine: Engine, at: Date): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  const limit = at.getTime();
  for await (const entry of engine.entries()) if (Date.parse(entry.at) <= limit) entries.push(entry);
  return entries;
}
