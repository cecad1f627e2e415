import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor, AnyWorkflowDefinition, EngineOptions } from '../../src/index.ts';
import { Engine, openStore } from '../../src/index.ts';
import { ticketV1 } from './ticket-workflow.ts';

export const admin: Actor = { role: 'admin', unit: null };
export const ownerA: Actor = { role: 'unit', unit: 'A' };
export const ownerB: Actor = { role: 'unit', unit: 'B' };

/** A fresh engine on an in-memory SQLite database (or a file, when given). */
export async function newEngine(options: { file?: string; workflows?: AnyWorkflowDefinition[]; engine?: EngineOptions } = {}): Promise<Engine> {
  return new Engine(await openStore(options.file ?? ':memory:'), options.workflows ?? [ticketV1], options.engine);
}

export function tempDbFile(): string {
  return join(mkdtempSync(join(tmpdir(), 'duban-engine-')), 'test.db');
}

export const t = (iso: string): Date => new Date(iso);
