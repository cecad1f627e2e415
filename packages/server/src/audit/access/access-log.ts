import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { ServerDatabase } from '../../db/server-tables.ts';

/** One API read: who (token, role) asked what (method, path with query), when, and the answer's status. */
export interface AccessRecord {
  readonly id: number;
  /** ISO 8601 instant from the server's clock, when the request arrived. */
  readonly at: string;
  /** 0 for a person's web session, which is no token. */
  readonly tokenId: number;
  /** The person's account, when a person read (migration 0006); absent for a service token. */
  readonly accountId?: number;
  readonly role: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

/** Longest path kept; a longer one is cut and marked. */
const MAX_PATH = 2000;

/**
 * The `access_log` table (server migration 0002), apart from the audit chain. Writing never fails
 * the caller: a failed write is logged and forgotten. Does IO on the store's database.
 */
export class AccessLog {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly logger: Logger,
  ) {}

  /** Records one access in the background. Never throws. */
  record(access: Omit<AccessRecord, 'id'>): void {
    const path = access.path.length > MAX_PATH ? `${access.path.slice(0, MAX_PATH)}…` : access.path;
    const write = (async () => {
      try {
        await this.db
          .insertInto('access_log')
          .values({ at: access.at, token_id: access.tokenId, account_id: access.accountId ?? null, role: access.role, method: access.method, path, status: access.status })
          .execute();
      } catch (error) {
        this.logger.error({ err: error, access: { ...access, path } }, 'writing the access log failed; the request was answered anyway');
      }
    })();
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }

  /** Records after `afterId`, oldest first, once every write begun before the call has finished. */
  async list(afterId: number, limit: number): Promise<AccessRecord[]> {
    await Promise.all([...this.pending]);
    const rows = await this.db.selectFrom('access_log').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
    return rows.map((row) => ({
      id: Number(row.id),
      at: row.at,
      tokenId: Number(row.token_id),
      ...(row.account_id === null ? {} : { accountId: Number(row.account_id) }),
      role: row.role,
      method: row.method,
      path: row.path,
      status: Number(row.status),
    }));
  }
}
