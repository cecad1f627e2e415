import type { Actor } from '@duban/engine';
import type { Response } from 'express';
import type { Role } from './role.ts';

/** Who is calling: the token that authenticated the request. */
export interface Principal {
  readonly tokenId: number;
  readonly role: Role;
  /** The unit a unit token acts for; null for every other role. */
  readonly unit: string | null;
}

/** The engine's actor for a principal. */
export function actorOf(principal: Principal): Actor {
  return { role: principal.role, unit: principal.role === 'unit' ? principal.unit : null };
}

/** The principal `authenticate()` put on this response; a route behind it always has one. */
export function principalOf(res: Response): Principal {
  const principal: unknown = res.locals['principal'];
  if (principal === undefined) throw new Error('principalOf: route is not behind authenticate()');
  return principal as Principal;
}
