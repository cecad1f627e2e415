import type { Actor } from '@duban/engine';
import type { Response } from 'express';
import type { Role } from './role.ts';

/** A person's account as the log names it: its id and its display name at the time. */
export interface AccountRef {
  readonly id: number;
  readonly name: string;
}

/** Who is calling: the token that authenticated the request, or a person's signed-in account. */
export interface Principal {
  /** The token that authenticated the request; 0 for an account's web session (no token). */
  readonly tokenId: number;
  /** The person acting: the account signed in, or the account the token acts as; absent for a service token. */
  readonly account?: AccountRef | undefined;
  readonly role: Role;
  /** The unit a unit token acts for; null for every other role. */
  readonly unit: string | null;
}

/** The engine's actor for a principal. */
export function actorOf(principal: Principal): Actor {
  const actor = { role: principal.role, unit: principal.role === 'unit' ? principal.unit : null };
  return principal.account === undefined ? actor : { ...actor, account: { id: principal.account.id, name: principal.account.name } };
}

/** The one key of a caller, for its rate-limit budget and its idempotency keys: its token's, else its account's. Pure. */
export function callerKey(principal: Principal): string {
  return principal.tokenId > 0 || principal.account === undefined ? `token:${principal.tokenId}` : `account:${principal.account.id}`;
}

/** The principal `authenticate()` put on this response; a route behind it always has one. */
export function principalOf(res: Response): Principal {
  const principal: unknown = res.locals['principal'];
  if (principal === undefined) throw new Error('principalOf: route is not behind authenticate()');
  return principal as Principal;
}
