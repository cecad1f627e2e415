import { createHash } from 'node:crypto';
import type { Actor } from './actor.ts';
import { canonicalJson } from './canonical-json.ts';
import type { JsonObject } from './json.ts';

/** One line of the append-only audit log. `hash` seals every other field and `prevHash`. */
export interface AuditEntry {
  readonly seq: number;
  readonly instanceId: string;
  /** The instance's version after this entry: 1 for its creation, +1 per transition. */
  readonly version: number;
  readonly type: string;
  readonly actor: Actor;
  readonly payload: JsonObject;
  readonly from: string | null;
  readonly to: string;
  /** ISO 8601 instant, UTC. */
  readonly at: string;
  readonly prevHash: string;
  readonly hash: string;
}

/** An entry before it has a place in the chain. */
export type AuditDraft = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

/** The type of the entry that creates an instance; its payload is `{ workflow, workflowVersion, input }`. */
export const CREATE_EVENT = 'CREATE';

/** prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 over 0x00 and the canonical JSON of the entry without `hash` (an RFC 6962 leaf hash). Pure. */
export function hashEntry(entry: Omit<AuditEntry, 'hash'>): string {
  const body: JsonObject = {
    seq: entry.seq,
    instanceId: entry.instanceId,
    version: entry.version,
    type: entry.type,
    actor: { role: entry.actor.role, unit: entry.actor.unit },
    payload: entry.payload,
    from: entry.from,
    to: entry.to,
    at: entry.at,
    prevHash: entry.prevHash,
  };
  return createHash('sha256').update(Buffer.from([0])).update(canonicalJson(body), 'utf8').digest('hex');
}

/** Give a draft its place after `prevHash` at `seq`, and seal it. Pure. */
export function sealEntry(draft: AuditDraft, seq: number, prevHash: string): AuditEntry {
  const unsealed = { ...draft, seq, prevHash };
  return { ...unsealed, hash: hashEntry(unsealed) };
}
