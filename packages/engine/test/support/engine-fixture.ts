import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor, AnyWorkflowDefinition, EngineOptions } from '../../src/index.ts';
import { Engine, openStore } from '../../src/index.ts';
import { freshDatabase } from './test-database.ts';
import { ticketV1 } from './ticket-workflow.ts';

export { onPostgres, reopenableDatabase } from './test-database.ts';

export const admin: Actor = { role: 'admin', unit: null };
export const ownerA: Actor = { role: 'unit', unit: 'A' };
export const ownerB: Actor = { role: 'unit', unit: 'B' };

/**
 * A fresh engine on an in-memory SQLite database, or on a schema of its own under `DUBAN_TEST_DB=postgres`
 * (or on `file`, a database location, when given).
 */
export async function newEngine(options: { file?: string; workflows?: AnyWorkflowDefinition[]; engine?: EngineOptions } = {}): Promise<Engine> {
  return new Engine(await openStore(options.file ?? (await freshDatabase())), options.workflows ?? [ticketV1], options.engine);
}

/** A temporary SQLite file (for tests that open the file itself). */
export function tempDbFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'duban-engine-')), 'test.db');
}

export const t = (iso: string): Date => new Date(iso);
