import type { RateLimiter } from '../rate-limit/rate-limiter.ts';
import { AccountError } from './account-error.ts';

/** Sign-in attempts allowed per client address per minute, and per login name per 15 minutes. */
export const SIGN_IN_LIMITS = { perAddress: 20, addressWindowMs: 60_000, perAccount: 10, accountWindowMs: 15 * 60_000 } as const;

/** The two limiters of sign-in attempts (`rate-limit/`'s: in memory, or in the database on PostgreSQL). */
export interface SignInLimiters {
  readonly address: RateLimiter;
  readonly account: RateLimiter;
}

/**
 * Counts a sign-in attempt (by password or one-time code) against its address and its login name
 * before any password is checked, so a flood costs the server one counter each and gains nothing:
 * past either limit, an AccountError in Chinese with the seconds to wait. The address goes first, so
 * guesses from one address at many names stop there, and many addresses at one name stop at the name.
 */
export async function countSignInAttempt(limiters: SignInLimiters, address: string, login: string, now: Date): Promise<void> {
  const byAddress = await limiters.address.hit(`sign-in-address:${address}`, now);
  if (!byAddress.allowed) throw new AccountError('rate', `此地址登录尝试过于频繁，请 ${byAddress.retryAfterSeconds} 秒后再试。`);
  const byAccount = await limiters.account.hit(`sign-in-account:${login.trim().toLowerCase()}`, now);
  if (!byAccount.allowed) throw new AccountError('rate', `该账号登录尝试过于频繁，已暂时锁定，请 ${Math.ceil(byAccount.retryAfterSeconds / 60)} 分钟后再试。`);
}
