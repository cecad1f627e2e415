import type { RequestHandler } from 'express';
import { unauthorized } from '../http/problems.ts';
import type { Principal } from './principal.ts';

/** What authentication needs of the token store. */
export interface TokenAuthenticator {
  authenticate(token: string): Promise<Principal | undefined>;
}

const BEARER = /^Bearer ([^\s]+)$/;

/** Requires `Authorization: Bearer <token>` naming a live token; puts its principal on `res.locals`. */
export function authenticate(tokens: TokenAuthenticator): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('Authorization');
    if (header === undefined) throw unauthorized('this request needs an Authorization: Bearer <token> header');
    const match = BEARER.exec(header.trim());
    const principal = match?.[1] === undefined ? undefined : await tokens.authenticate(match[1]);
    if (principal === undefined) throw unauthorized('the bearer token is malformed, unknown or revoked');
    res.locals['principal'] = principal;
    next();
  };
}
