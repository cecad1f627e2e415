import type { AuditEntry } from '@duban/engine';
import type { z } from 'zod';
import type { auditEntrySchema } from './schemas.ts';

export type AuditEntryView = z.output<typeof auditEntrySchema>;

/** An audit entry as the API shows it: the engine's `instanceId` is the task's id, `taskId`. Pure. */
export function toAuditEntryView(entry: AuditEntry): AuditEntryView {
  return {
    seq: entry.seq,
    taskId: entry.instanceId,
    version: entry.version,
    type: entry.type,
    actor: entry.actor.account === undefined ? { role: entry.actor.role, unit: entry.actor.unit } : { role: entry.actor.role, unit: entry.actor.unit, account: { id: entry.actor.account.id, name: entry.actor.account.name } },
    from: entry.from,
    to: entry.to,
    at: entry.at,
    payload: entry.payload,
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}
