import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { problem } from '../../http/problems.ts';

/** The name of the hidden field every form carries. */
export const CSRF_FIELD = '_csrf';

/**
 * The anti-forgery token of a session: derived from its secret id, so it needs no storage and a
 * page of one session is useless to another. Pure.
 */
export function csrfTokenFor(sessionId: string): string {
  return createHmac('sha256', sessionId).update('duban web csrf v1').digest('base64url');
}

/** Do two secrets match? Constant time in their content. Pure. */
export function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

const forgedRequest = (detail: string) => problem('forgedRequest', detail);

/** The host (name and port) of a URL, or undefined for anything unparsable (including `null`). Pure. */
function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/**
 * Refuses (403) a state-changing request from another origin: `Origin` must name this server's host,
 * or, when a browser sends none, `Referer` must be a page of it. Hosts are compared, not schemes, so a
 * TLS-terminating proxy in front does not refuse our own forms.
 */
export function checkSameOrigin(req: Request): void {
  const own = req.get('Host');
  const origin = req.get('Origin');
  if (origin !== undefined) {
    if (own === undefined || hostOf(origin) !== own) throw forgedRequest(`the Origin ${origin} is not this server (${own ?? 'no Host header'})`);
    return;
  }
  const referer = req.get('Referer');
  if (own === undefined || referer === undefined || hostOf(referer) !== own) {
    throw forgedRequest('a form post must carry an Origin or Referer header naming this server');
  }
}

/** Refuses (403) a form whose anti-forgery field does not match `expected`. */
export function checkCsrfField(body: Record<string, unknown>, expected: string): void {
  if (!sameSecret(body[CSRF_FIELD], expected)) throw forgedRequest('the form\'s _csrf field is missing or does not match this session (the page may be stale)');
}
