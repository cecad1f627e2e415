import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';

/** A sign-in on its way through the provider: what the callback must find again. */
export interface PendingSignIn {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  readonly next: string | null;
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Single sign-on's two tables (server migration 0010): sign-ins pending at the provider, keyed by the
 * SHA-256 of the browser's cookie and taken at most once; and the links of a provider's identity
 * (issuer, subject) to an account. Does IO on the store's database.
 */
export class SsoStore {
  constructor(private readonly db: Kysely<ServerDatabase>) {}

  /** Keeps a pending sign-in for the browser holding `cookie` until `expiresAt`; expired ones are swept. */
  async hold(cookie: string, pending: PendingSignIn, at: Date, expiresAt: Date): Promise<void> {
    await this.db.deleteFrom('sso_pending').where('expires_at', '<=', at.toISOString()).execute();
    await this.db
      .insertInto('sso_pending')
      .values({
        id_hash: digest(cookie),
        state: pending.state,
        nonce: pending.nonce,
        code_verifier: pending.codeVerifier,
        redirect_uri: pending.redirectUri,
        next: pending.next,
        created_at: at.toISOString(),
        expires_at: expiresAt.toISOString(),
      })
      .execute();
  }

  /**
   * Takes the pending sign-in of `cookie`, live at `at`, and deletes it: a second callback with the
   * same cookie (a replayed answer) finds nothing. Undefined when there is none.
   */
  async take(cookie: string, at: Date): Promise<PendingSignIn | undefined> {
    const idHash = digest(cookie);
    const row = await this.db.selectFrom('sso_pending').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    if (row === undefined) return undefined;
    const taken = await this.db.deleteFrom('sso_pending').where('id_hash', '=', idHash).executeTakeFirst();
    // Two callbacks racing with one cookie: only the one that deleted the row goes on.
    if (taken.numDeletedRows !== 1n || row.expires_at <= at.toISOString()) return undefined;
    return { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier, redirectUri: row.redirect_uri, next: row.next };
  }

  /** The account an identity of `issuer` was linked to, if any. */
  async linkedAccount(issuer: string, subject: string): Promise<number | undefined> {
    const row = await this.db.selectFrom('sso_link').select('account_id').where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst();
    return row === undefined ? undefined : Number(row.account_id);
  }

  /** The subject an account is linked to at `issuer`, if any. */
  async subjectOf(issuer: string, accountId: number): Promise<string | undefined> {
    const row = await this.db.selectFrom('sso_link').select('subject').where('issuer', '=', issuer).where('account_id', '=', accountId).executeTakeFirst();
    return row?.subject;
  }

  /** Links an identity to an account; false when the identity was linked meanwhile (to this account or another). */
  async link(issuer: string, subject: string, accountId: number, at: Date): Promise<boolean> {
    const inserted = await this.db
      .insertInto('sso_link')
      .values({ issuer, subject, account_id: accountId, created_at: at.toISOString() })
      .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
}
