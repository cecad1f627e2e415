import type { RequestHandler, Response } from 'express';
import type { Clock } from '../../time/clock.ts';
import { problem } from '../../http/problems.ts';
import type { Principal } from '../../auth/principal.ts';
import type { Role } from '../../auth/role.ts';
import { readCookie } from './cookies.ts';
import { checkCsrfField, checkSameOrigin, csrfTokenFor } from './csrf.ts';
import { formOf, isMultipartForm } from '../forms/form-body.ts';
import type { SessionStore } from './session-store.ts';
import type { Inbox, InboxCounts } from '../../tasks/inbox.ts';
import { actorOf } from '../../auth/principal.ts';
import { readers } from '../../auth/readers.ts';

/** The cookie that carries the session id. */
export const SESSION_COOKIE = 'duban_session';

/** Who is looking at a page: the session's principal and the anti-forgery token its forms carry. */
export interface Viewer {
  readonly principal: Principal;
  readonly sessionId: string;
  readonly csrf: string;
  /** An account that must change its password: it reaches only its account page until it does. */
  readonly mustChangePassword?: boolean;
  /** The office's 待办 counts, for the navigation (from the inbox's cache: no scan per page view). */
  readonly inbox?: InboxCounts;
}

/** The pages an account that must change its password may still reach. */
const BEFORE_PASSWORD_CHANGE = new Set(['/account', '/account/password', '/logout']);

/** Puts the viewer of a live session cookie on `res.locals` (nothing when there is none), with the 待办 counts for those who have an inbox. */
export function loadViewer(sessions: SessionStore, clock: Clock, inbox: Pick<Inbox, 'counts'>): RequestHandler {
  return async (req, res, next) => {
    const id = readCookie(req, SESSION_COOKIE);
    const now = clock.now();
    const session = id === undefined ? undefined : await sessions.find(id, now);
    if (id !== undefined && session !== undefined) {
      const { principal } = session;
      const counts = (readers.inbox as readonly string[]).includes(principal.role) && req.method === 'GET' ? await inbox.counts(now, actorOf(principal)) : undefined;
      res.locals['viewer'] = { principal, sessionId: id, csrf: csrfTokenFor(id), mustChangePassword: session.mustChangePassword, ...(counts === undefined ? {} : { inbox: counts }) } satisfies Viewer;
    }
    next();
  };
}

/** The viewer `loadViewer` found, if any. */
export function viewerOf(res: Response): Viewer | undefined {
  return res.locals['viewer'] as Viewer | undefined;
}

/** The viewer of a route behind `requireViewer`. */
export function signedIn(res: Response): Viewer {
  const viewer = viewerOf(res);
  if (viewer === undefined) throw new Error('signedIn: route is not behind requireViewer()');
  return viewer;
}

/** A local path to come back to after signing in, or undefined for anything else. Pure. */
export function safeNext(path: unknown): string | undefined {
  return typeof path === 'string' && /^\/(?![/\\])[\x21-\x7E]{0,500}$/.test(path) && !path.includes('\\') ? path : undefined;
}

/**
 * Lets through a signed-in viewer whose role is one of `roles` (any role when omitted). Without a
 * session, a page request is sent to the sign-in page; a signed-in viewer of another role gets a 403.
 * A POST must also come from this origin and carry the session's anti-forgery token (for a multipart
 * form a route reads itself, `isMultipartForm`: the route checks the token among its fields).
 */
export function requireViewer(roles?: readonly Role[]): RequestHandler {
  return (req, res, next) => {
    const viewer = viewerOf(res);
    if (viewer === undefined) {
      const next = req.method === 'GET' ? safeNext(req.originalUrl) : undefined;
      res.redirect(303, next === undefined || next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`);
      return;
    }
    if (viewer.mustChangePassword === true && !BEFORE_PASSWORD_CHANGE.has(req.path)) {
      res.redirect(303, '/account');
      return;
    }
    if (roles !== undefined && !roles.includes(viewer.principal.role)) {
      throw problem('forbiddenPage', `role ${viewer.principal.role} may not open ${req.path}; allowed: ${roles.join(', ')}`);
    }
    if (req.method === 'POST') {
      checkSameOrigin(req);
      // A form with files is read by its route, which checks the field before it stores a byte.
      if (!isMultipartForm(req)) checkCsrfField(formOf(req.body), viewer.csrf);
    }
    next();
  };
}
