import type { KeyObject } from 'node:crypto';

/** The audit log's name and the public key its checkpoints are verified with. */
export interface AuditKey {
  readonly origin: string;
  readonly publicKey: KeyObject;
}
