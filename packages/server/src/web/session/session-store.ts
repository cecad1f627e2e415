import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../../db/server-tables.ts';
import type { Principal } from '../../auth/principal.ts';

/** How long a web session lasts after sign-in. */
export const SESSION_TTL_MS = 8 * 3_600_000;

/** A signed-in session: who, and until when. */
export interface WebSession {
  readonly principal: Principal;
  /** ISO instant. */
  readonly expiresAt: string;
  /** An account that must change its password before anything else. */
  readonly mustChangePassword: boolean;
}

/** One of an account's sessions, as its owner sees it: a handle (not the cookie's secret), when and where. */
export interface SessionListing {
  /** The first 16 hex digits of the stored hash: enough to name it, useless as a cookie. */
  readonly handle: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly address: string | null;
}

/** Who a session stands for: a token's principal by id, an account's by id (the stores know how). */
export interface SessionPrincipals {
  tokenPrincipal(tokenId: number, at: Date): Promise<Principal | undefined>;
  accountPrincipal(accountId: number): Promise<{ principal: Principal; mustChangePassword: boolean } | undefined>;
}

/** How a session was opened: a password, a one-time code, an API token, or single sign-on. */
export type SessionVia = 'password' | 'code' | 'token' | 'sso';

/** A session id as the cookie carries it: 32 random bytes, base64url. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

function digest(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

/**
 * Web sign-in sessions in the `web_session` table (server migrations 0003, 0006): a random id goes
 * to the browser, only its SHA-256 is stored. A session stands for the account that signed in
 * (token_id 0), or for the API token it was opened with; it ends when it expires, at sign-out, when
 * the token is revoked or the account disabled. Does IO on the store's database.
 */
export class SessionStore {
  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly principals: SessionPrincipals,
  ) {}

  /** Opens a session for a principal at `now`; the returned id exists nowhere else. */
  async create(principal: Principal, now: Date, address?: string, via: SessionVia = principal.tokenId === 0 ? 'password' : 'token'): Promise<{ id: string; expiresAt: string }> {
    const id = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
    // Expired sessions are swept whenever someone signs in.
    await this.db.deleteFrom('web_session').where('expires_at', '<=', now.toISOString()).execute();
    const ofAccount = principal.tokenId === 0 && principal.account !== undefined;
    await this.db
      .insertInto('web_session')
      .values({
        id_hash: digest(id),
        token_id: principal.tokenId,
        account_id: ofAccount ? principal.account!.id : null,
        address: address ?? null,
        created_at: now.toISOString(),
        expires_at: expiresAt,
        via,
      })
      .execute();
    return { id, expiresAt };
  }

  /** The live session with this id at `now`: unknown and expired ids, revoked tokens and disabled accounts give undefined. */
  async find(id: string, now: Date): Promise<WebSession | undefined> {
    if (!SESSION_ID.test(id)) return undefined;
    const row = await this.db.selectFrom('web_session').selectAll().where('id_hash', '=', digest(id)).executeTakeFirst();
    if (row === undefined || row.expires_at <= now.toISOString()) return undefined;
    if (row.account_id !== null) {
      const found = await this.principals.accountPrincipal(Number(row.account_id));
      // A person signed in by the identity platform has no password of ours to change first.
      return found === undefined ? undefined : { ...found, mustChangePassword: found.mustChangePassword && row.via !== 'sso', expiresAt: row.expires_at };
    }
    const principal = await this.principals.tokenPrincipal(Number(row.token_id), now);
    return principal === undefined ? undefined : { principal, expiresAt: row.expires_at, mustChangePassword: false };
  }

  /** An account's live sessions, newest first. */
  async listOf(accountId: number, now: Date): Promise<SessionListing[]> {
    const rows = await this.db.selectFrom('web_session').selectAll().where('account_id', '=', accountId).where('expires_at', '>', now.toISOString()).orderBy('created_at', 'desc').execute();
    return rows.map((row) => ({ handle: row.id_hash.slice(0, 16), createdAt: row.created_at, expiresAt: row.expires_at, address: row.address }));
  }

  /** Ends one of an account's sessions by its handle; false when it has none such. */
  async endOf(accountId: number, handle: string): Promise<boolean> {
    if (!/^[0-9a-f]{16}$/.test(handle)) return false;
    const result = await this.db.deleteFrom('web_session').where('account_id', '=', accountId).where('id_hash', 'like', `${handle}%`).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** The handle of a session id, as `listOf` names it. Pure. */
  handleOf(id: string): string {
    return digest(id).slice(0, 16);
  }

  /** Ends a session (sign-out); an unknown id is a no-op. */
  async destroy(id: string): Promise<void> {
    if (!SESSION_ID.test(id)) return;
    await this.db.deleteFrom('web_session').where('id_hash', '=', digest(id)).execute();
  }
}
