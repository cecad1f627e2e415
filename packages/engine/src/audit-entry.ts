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
  // The 0x00 prefix as the string's first character (U+0000 is the one byte 0x00 in UTF-8): one update.
  return createHash('sha256').update(`\u0000${canonicalBody(entry)}`, 'utf8').digest('hex');
}

/** The canonical JSON that `hashEntry` hashes. Pure. */
function canonicalBody(entry: Omit<AuditEntry, 'hash'>): string {
  const { seq, instanceId, version, type, actor, payload, from, to, at, prevHash } = entry;
  // Every field present and no account (the usual case): written with its keys already in canonical order.
  if (
    actor.account === undefined && actor.role !== undefined && actor.unit !== undefined && payload !== undefined && from !== undefined &&
    typeof seq === 'number' && typeof version === 'number' && typeof instanceId === 'string' && typeof type === 'string' && typeof to === 'string' && typeof at === 'string' && typeof prevHash === 'string'
  ) {
    return `{"actor":{"role":${canonicalJson(actor.role)},"unit":${canonicalJson(actor.unit)}},"at":${JSON.stringify(at)},"from":${canonicalJson(from)},"instanceId":${JSON.stringify(instanceId)},"payload":${canonicalJson(payload)},"prevHash":${JSON.stringify(prevHash)},"seq":${canonicalJson(seq)},"to":${JSON.stringify(to)},"type":${JSON.stringify(type)},"version":${canonicalJson(version)}}`;
  }
  const body: JsonObject = {
    seq: entry.seq,
    instanceId: entry.instanceId,
    version: entry.version,
    type: entry.type,
    actor: actor.account === undefined ? { role: actor.role, unit: actor.unit } : { account: { id: actor.account.id, name: actor.account.name }, role: actor.role, unit: actor.unit },
    payload: entry.payload,
    from: entry.from,
    to: entry.to,
    at: entry.at,
    prevHash: entry.prevHash,
  };
  return canonicalJson(body);
}

/** Give a draft its place after `prevHash` at `seq`, and seal it. Pure. */
export function sealEntry(draft: AuditDraft, seq: number, prevHash: string): AuditEntry {
  const unsealed = { ...draft, seq, prevHash };
  return { ...unsealed, hash: hashEntry(unsealed) };
}
