import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';

const HEADER = 'X-Request-Id';
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Gives every request an id: the caller's `X-Request-Id` when it is sane, else a new UUID; echoed back. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const given = req.get(HEADER);
    const id = given !== undefined && ACCEPTABLE.test(given) ? given : randomUUID();
    res.locals['requestId'] = id;
    res.setHeader(HEADER, id);
    next();
  };
}

/** The id `requestId()` gave this request. */
export function requestIdOf(res: Response): string {
  const id: unknown = res.locals['requestId'];
  return typeof id === 'string' ? id : 'unknown';
}
