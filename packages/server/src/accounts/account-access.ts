import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';
import type { AccessRevoker } from './account-store.ts';

/**
 * Ends an account's access at once: deletes its web sessions (and those opened with its tokens) and
 * revokes its tokens, in the caller's transaction; once that commits, the token store forgets what
 * it remembered. Does IO.
 */
export function accountAccess(tokens: { forget(): void }): AccessRevoker {
  return {
    async endAccountAccess(db: Kysely<ServerDatabase>, accountId: number, at: Date) {
      const owned = db.selectFrom('api_token').select('id').where('account_id', '=', accountId);
      await db.deleteFrom('web_session').where((eb) => eb.or([eb('account_id', '=', accountId), eb('token_id', 'in', owned)])).execute();
      await db.updateTable('api_token').set({ revoked_at: at.toISOString() }).where('account_id', '=', accountId).where('revoked_at', 'is', null).execute();
    },
    forget: () => tokens.forget(),
  };
}
