import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';
import type { AccessRevoker } from './account-store.ts';

/**
 * Ends an account's access at once: deletes its web sessions (and those opened with its tokens),
 * revokes its tokens, and makes the token store forget what it remembered. Does IO.
 */
export function accountAccess(db: Kysely<ServerDatabase>, tokens: { forget(): void }): AccessRevoker {
  return {
    async endAccountAccess(accountId, at) {
      await db.transaction().execute(async (tx) => {
        const owned = tx.selectFrom('api_token').select('id').where('account_id', '=', accountId);
        await tx.deleteFrom('web_session').where((eb) => eb.or([eb('account_id', '=', accountId), eb('token_id', 'in', owned)])).execute();
        await tx.updateTable('api_token').set({ revoked_at: at.toISOString() }).where('account_id', '=', accountId).where('revoked_at', 'is', null).execute();
      });
      tokens.forget();
    },
  };
}
