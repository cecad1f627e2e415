import type { Request, Response } from 'express';

/** The value of one cookie of the request, or undefined. Pure over the Cookie header. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.get('Cookie');
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return /^[A-Za-z0-9_-]{1,200}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/**
 * Sets an HttpOnly, SameSite=Strict cookie (Lax when asked: one that must come back with a navigation
 * from another site, as single sign-on's from the provider), Secure when the request came over HTTPS;
 * `maxAgeSeconds` 0 deletes it. Values are base64url, so they need no encoding.
 */
export function writeCookie(req: Request, res: Response, name: string, value: string, options: { maxAgeSeconds: number; path?: string; sameSite?: 'Strict' | 'Lax' }): void {
  const parts = [`${name}=${value}`, `Path=${options.path ?? '/'}`, `Max-Age=${options.maxAgeSeconds}`, 'HttpOnly', `SameSite=${options.sameSite ?? 'Strict'}`];
  if (req.secure) parts.push('Secure');
  res.append('Set-Cookie', parts.join('; '));
}
