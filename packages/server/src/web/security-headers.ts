import type { RequestHandler } from 'express';

/** Only this server's own files: no inline script or style, no framing, forms post only here. */
export const WEB_CSP = [
  "default-src 'self'",
  "base-uri 'none'",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "img-src 'self'",
  "object-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
].join('; ');

/**
 * Headers of every web page and asset: the page CSP (replacing helmet's looser default), no caching
 * of pages, and a same-origin referrer policy: under helmet's `no-referrer` a browser sends
 * `Origin: null` with every form post, and the origin check could not tell our forms from others.
 */
export function webSecurityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', WEB_CSP);
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cache-Control', 'no-store');
    next();
  };
}
