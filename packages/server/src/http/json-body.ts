import express from 'express';
import type { RequestHandler } from 'express';
import { jsonShapeIssue } from './json-shape.ts';
import { invalidFields, problem } from './problems.ts';

/** The largest request body accepted: 64 KiB. */
export const BODY_LIMIT_BYTES = 64 * 1024;

const JSON_TYPES = ['application/json', 'application/*+json'];

/**
 * For POST/PUT/PATCH: 415 unless the body is declared JSON, then parses it (JSON objects and arrays
 * only, at most 64 KiB; 400 when malformed, 413 when too large) and checks its shape (422: nested too
 * deep, a `__proto__` key, an unpaired surrogate; see jsonShapeIssue) before anything reads it.
 */
export function jsonBody(): RequestHandler[] {
  const parse = express.json({ limit: BODY_LIMIT_BYTES, strict: true, type: JSON_TYPES });
  const requireJson: RequestHandler = (req, _res, next) => {
    if (!['POST', 'PUT', 'PATCH'].includes(req.method)) {
      next();
      return;
    }
    if (!req.is(JSON_TYPES)) {
      throw problem('notJson', `the request body must be application/json, not ${req.get('Content-Type') ?? 'absent'}`);
    }
    next();
  };
  const checkShape: RequestHandler = (req, _res, next) => {
    const issue = req.body === undefined ? undefined : jsonShapeIssue(req.body);
    if (issue !== undefined) throw invalidFields('body', [issue]);
    next();
  };
  return [requireJson, parse, checkShape];
}
