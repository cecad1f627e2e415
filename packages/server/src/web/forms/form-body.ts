import express from 'express';
import type { RequestHandler } from 'express';
import { problem } from '../../http/problems.ts';

/** The largest form accepted: 64 KiB, as for the API's JSON. */
const FORM_LIMIT = '64kb';

const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * For POST: 415 unless the body is an HTML form (urlencoded), then parses it; repeated names become
 * arrays. A multipart form is let through unread to the paths in `multipartPaths`. Other methods pass through with an empty body.
 */
export function formBody(multipartPaths: readonly string[] = []): RequestHandler[] {
  const parse = express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 500 });
  const requireForm: RequestHandler = (req, _res, next) => {
    // An upload form (导入计划) is read by its route as it streams.
    if (req.method === 'POST' && multipartPaths.includes(req.path) && req.is('multipart/form-data')) {
      next();
      return;
    }
    if (req.method === 'POST' && !req.is(FORM_TYPE)) {
      throw problem('notForm', `a form post must be ${FORM_TYPE}, not ${req.get('Content-Type') ?? 'absent'}`);
    }
    next();
  };
  return [requireForm, parse];
}

/** The parsed form of a request as a plain record (empty when there was none). */
export function formOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}
