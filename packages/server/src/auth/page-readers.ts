import type { Role } from './role.ts';

/** Who may open the plan-wide pages (dashboard, assessment, circular, ledger): they name every task and unit, so not a unit. */
export const PLAN_READERS: readonly Role[] = ['office', 'reviewer', 'admin'];

/** Who may open the verification queue: the office acts on it; reviewers and admins may look. */
export const QUEUE_READERS: readonly Role[] = ['office', 'reviewer', 'admin'];

/** Who may check the audit log and replay the plan: everyone but units (the log names every task). */
export const AUDIT_READERS: readonly Role[] = ['reviewer', 'office', 'admin'];

/** Whose pages are a unit's own: its tasks and its notifications. */
export const UNIT_ONLY: readonly Role[] = ['unit'];
