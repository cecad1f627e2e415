import type { Role } from '../auth/role.ts';

/** The roles a person's account can hold; each acts as one of the roles of `auth/` (its principal's). */
export const accountRoles = ['unit-staff', 'office-staff', 'reviewer', 'admin', 'leader'] as const;

export type AccountRole = (typeof accountRoles)[number];

/** What each account role acts as: a leader reads the plan-wide views and sends only instructions (批示). */
export const principalRoleOf: Readonly<Record<AccountRole, Role>> = {
  'unit-staff': 'unit',
  'office-staff': 'office',
  reviewer: 'reviewer',
  admin: 'admin',
  leader: 'leader',
};

/** The Chinese name of each account role, as the pages and the CLI print it. */
export const accountRoleLabels: Readonly<Record<AccountRole, string>> = {
  'unit-staff': '责任单位经办人',
  'office-staff': '督查办工作人员',
  reviewer: '问责审查人员',
  admin: '系统管理员',
  leader: '领导',
};

export function isAccountRole(value: unknown): value is AccountRole {
  return typeof value === 'string' && (accountRoles as readonly string[]).includes(value);
}
