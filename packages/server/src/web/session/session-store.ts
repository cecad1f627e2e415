import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../../db/server-tables.ts';
import type { Principal } from '../../auth/principal.ts';
import { isRole } from '../../auth/role.ts';

/** How long a web session lasts after sign-in. */
export const SESSION_TTL_MS = 8 * 3_600_000;

/** A signed-in session: who, and until when. */
export interface WebSession {
  readonly principal: Principal;
  /** ISO instant. */
  readonly expiresAt: string;
}

/** A session id as the cookie carries it: 32 random bytes, base64url. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

function digest(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

/**
 * Web sign-in sessions in the `web_session` table (server migration 0003): a random id goes to the
 * browser, only its SHA-256 is stored; each session stands for the API token it was opened with, so
 * revoking the token ends the session. Does IO on the store's database.
 */
export class SessionStore {
  constructor(private readonly db: Kysely<ServerDatabase>) {}

  /** Opens a session for a token's principal at `now`; the returned id exists nowhere else. */
  async create(principal: Principal, now: Date): Promise<{ id: string; expiresAt: string }> {
    const id = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
    // Expired sessions are swept whenever someone signs in.
    await this.db.deleteFrom('web_session').where('expires_at', '<=', now.toISOString()).execute();
    await this.db
      .insertInto('web_session')
      .values({ id_hash: digest(id), token_id: principal.tokenId, created_at: now.toISOString(), expires_at: expiresAt })
      .execute();
    return { id, expiresAt };
  }

  /** The live session with this id at `now`: unknown, expired ids and revoked tokens give undefined. */
  async find(id: string, now: Date): Promise<WebSession | undefined> {
    if (!SESSION_ID.test(id)) return undefined;
    const row = await this.db
      .selectFrom('web_session')
      .innerJoin('api_token', 'api_token.id', 'web_session.token_id')
      .select(['web_session.expires_at', 'api_token.id as token_id', 'api_token.role', 'api_token.unit', 'api_token.revoked_at'])
      .where('web_session.id_hash', '=', digest(id))
      .executeTakeFirst();
    if (row === undefined || row.revoked_at !== null || row.expires_at <= now.toISOString() || !isRole(row.role)) return undefined;
    const role = row.role;
    return {
      principal: { tokenId: Number(row.token_id), role, unit: role === 'unit' ? row.unit : null },
      expiresAt: row.expires_at,
    };
  }

  /** Ends a session (sign-out); an unknown id is a no-op. */
  async destroy(id: string): Promise<void> {
    if (!SESSION_ID.test(id)) return;
    await this.db.deleteFrom('web_session').where('id_hash', '=', digest(id)).execute();
  }
}
