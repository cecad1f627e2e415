import type { RequestHandler } from 'express';
import { problem } from '../http/problems.ts';
import { principalOf } from './principal.ts';
import type { Role } from './role.ts';

/** Refuses with 403 unless the caller's role is one of `allowed`. */
export function requireRole(allowed: readonly Role[], what: string): RequestHandler {
  return (_req, res, next) => {
    const { role } = principalOf(res);
    if (!allowed.includes(role)) throw problem('forbidden', `role ${role} may not ${what}; allowed: ${allowed.join(', ')}`);
    next();
  };
}
