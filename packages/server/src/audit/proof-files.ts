import { readFile } from 'node:fs/promises';
import type { AuditEntry } from '@duban/engine';
import { z } from 'zod';
import { UserError } from '../user-error.ts';
import { auditEntryFields } from './audit-entry-fields.ts';

const hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
const count = z.number().int().min(1);

/** The entry of an inclusion proof, as the API shows it (`taskId`) or as the engine hashes it (`instanceId`). */
const proofEntry = z
  .looseObject({ ...auditEntryFields, taskId: z.string().optional(), instanceId: z.string().optional() })
  .refine((e) => (e.taskId ?? e.instanceId) !== undefined, 'needs taskId or instanceId');

/** `GET /api/audit/entries/:seq/proof` as saved by a reviewer. */
export const inclusionProofFile = z.looseObject({ seq: count, size: count, leafHash: hex, rootHash: hex, proof: z.array(hex), entry: proofEntry });
/** `GET /api/audit/consistency` as saved by a reviewer. */
export const consistencyProofFile = z.looseObject({ from: count, to: count, fromRoot: hex.optional(), toRoot: hex.optional(), proof: z.array(hex) });

/** Reads a proof saved as JSON and checks its shape; UserError naming the first bad field. Does IO. */
export async function readProofFile<S extends z.ZodType>(file: string, schema: S, what: string): Promise<z.output<S>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as { code?: string }).code !== undefined) throw error;
    throw new UserError(`INVALID: ${file} is not JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`INVALID: ${file} is not ${what}: ${issue === undefined ? 'invalid' : `${issue.path.join('.') || '(top)'}: ${issue.message}`}`);
  }
  return parsed.data;
}

/** The engine's form of a proof's entry (the API calls the instance id `taskId`). Pure. */
export function hashedEntry(entry: z.output<typeof proofEntry>): AuditEntry {
  const { taskId, instanceId, ...fields } = entry;
  return { ...fields, instanceId: instanceId ?? taskId ?? '' } as AuditEntry;
}
