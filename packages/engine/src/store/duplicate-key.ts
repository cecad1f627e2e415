/**
 * Another transaction stored a row with this key first: an instance, or a request's idempotency record
 * (two servers took the same import or the same retry at the same moment). The transaction is rolled
 * back; running the work again finds the other transaction's row.
 */
export class DuplicateKey extends Error {
  override readonly name = 'DuplicateKey';

  constructor(
    readonly table: 'workflow_instance' | 'idempotency',
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`${table} ${JSON.stringify(key)} was stored by another transaction first`, options);
  }

  /** Whether `error` (or the error it wraps, as group commit does) is a DuplicateKey in `table`. */
  static in(error: unknown, table: DuplicateKey['table']): boolean {
    for (let e = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth += 1) {
      if (e instanceof DuplicateKey) return e.table === table;
    }
    return false;
  }
}
