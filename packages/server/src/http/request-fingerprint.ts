import { createHash } from 'node:crypto';
import { canonicalJson } from '@duban/engine';
import type { Json } from '@duban/engine';

/** SHA-256 (hex) of method, path and the canonical JSON of the body: what an idempotency key is bound to. Pure. */
export function requestFingerprint(method: string, path: string, body: Json): string {
  return createHash('sha256').update(`${method.toUpperCase()}\n${path}\n${canonicalJson(body)}`, 'utf8').digest('hex');
}
