import { z } from 'zod';

/** The fields of an audit entry a reviewer's file carries, as the engine hashes them (without its instance id). */
export const auditEntryFields = {
  seq: z.number().int(),
  version: z.number().int(),
  type: z.string(),
  actor: z.strictObject({ role: z.string(), unit: z.string().nullable(), account: z.strictObject({ id: z.number().int(), name: z.string() }).optional() }),
  payload: z.record(z.string(), z.json()),
  from: z.string().nullable(),
  to: z.string(),
  at: z.string(),
  prevHash: z.string(),
  hash: z.string(),
};
