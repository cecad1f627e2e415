/**
 * The roles a principal can hold. The system role is never given to a token; a leader is always a
 * person (an account's session or its token), since a 批示 names who wrote it.
 */
export const roles = ['office', 'reviewer', 'unit', 'admin', 'leader'] as const;

export type Role = (typeof roles)[number];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
