import type { Role } from './role.ts';

/**
 * Who may read what: the one table behind every role check of the API's routes and the pages. A unit
 * reads only its own tasks (the workflow's visibility) and its own notifications.
 */
export const readers = {
  /** Plan-wide reports and pages (/api/reports/*, /dashboard, /assessment, /circular, /ledger*): they name every task and unit. */
  plan: ['office', 'reviewer', 'admin'],
  /** The verification queue (/queue): the office acts on it; reviewers and admins look. */
  queue: ['office', 'reviewer', 'admin'],
  /** The audit log, its replays and proofs (/api/audit*, /api/replay*, /audit*, /history*): the log names every task. */
  audit: ['office', 'reviewer', 'admin'],
  /** Who read what (/api/audit/access-log). */
  accessLog: ['reviewer', 'admin'],
  /** Who may upload files (POST /api/files, a form's files): those who send events with them. */
  uploaders: ['unit', 'office'],
  /** A unit's own pages (/mine, /notifications) and acknowledging its notifications. */
  ownUnit: ['unit'],
} as const satisfies Record<string, readonly Role[]>;

/** Whose reads the access log records: everyone who may read more than their own unit's tasks. */
export const watchedReaders: readonly Role[] = ['reviewer', 'office', 'admin'];
