import express from 'express';
import type { Request, RequestHandler } from 'express';
import { problem } from '../../http/problems.ts';

/** The largest form accepted: 64 KiB, as for the API's JSON. */
const FORM_LIMIT = '64kb';

const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * The page routes that read a multipart form themselves, as it streams: an event's form with files
 * (`POST /tasks/:id/events/:type`), 导入计划 (`POST /plans/import`) and 修订计划 (`POST /plans/:id/revise`).
 */
const MULTIPART_PATHS = [/^\/tasks\/[^/]+\/events\/[^/]+$/, /^\/plans\/import$/, /^\/plans\/[^/]+\/revise$/];

/** Is this a form with files, left unread for its route (`isMultipartForm`)? Pure over the request. */
export function isMultipartForm(req: Request): boolean {
  return req.method === 'POST' && MULTIPART_PATHS.some((path) => path.test(req.path)) && req.is('multipart/form-data') === 'multipart/form-data';
}

/**
 * For POST: 415 unless the body is an HTML form (urlencoded), then parses it; repeated names become
 * arrays. A form with files (multipart) to one of MULTIPART_PATHS is left unread: its route streams it,
 * checking the anti-forgery field before any file is stored. Other methods pass through with an empty body.
 */
export function formBody(): RequestHandler[] {
  const parse = express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 500 });
  const requireForm: RequestHandler = (req, _res, next) => {
    if (req.method === 'POST' && !req.is(FORM_TYPE) && !isMultipartForm(req)) {
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
