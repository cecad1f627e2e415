/** The roles a token can carry. The system role is never given to a token. */
export const roles = ['office', 'reviewer', 'unit', 'admin'] as const;

export type Role = (typeof roles)[number];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}
