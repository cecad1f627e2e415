import type { AccountStore } from './account-store.ts';

/** The login name of the admin account `duban start` makes on a database without accounts. */
export const FIRST_ADMIN_LOGIN = 'admin';

/**
 * On a database with no account yet, makes one admin account (no password) and a one-time
 * sign-in code for it, to be shown once; on any other, nothing. Does IO.
 */
export async function ensureFirstAdmin(accounts: AccountStore, at: Date): Promise<{ login: string; code: string; expiresAt: string } | undefined> {
  if ((await accounts.list()).length > 0) return undefined;
  const account = await accounts.create({ login: FIRST_ADMIN_LOGIN, displayName: '系统管理员', role: 'admin' }, at);
  return { login: account.login, ...(await accounts.issueResetCode(account.id, at)) };
}
