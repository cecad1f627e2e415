import type { Role } from './role.ts';

/**
 * Who may read what: the one table behind every role check of the API's routes and the pages. A unit
 * reads only its own tasks (the workflow's visibility), its own notifications, the circular and its own
 * assessment.
 */
export const readers = {
  /** Plan-wide reports and pages (/api/reports/*, /dashboard, /assessment, /circular, /ledger*): they name every task and unit. */
  plan: ['office', 'leader', 'reviewer', 'admin'],
  /** The verification queue (/queue): the office acts on it; reviewers and admins look. */
  queue: ['office', 'leader', 'reviewer', 'admin'],
  /** The questions of every task's conversation still waiting for an answer (/questions): they name every task asked about. */
  questions: ['office', 'leader', 'reviewer', 'admin'],
  /** The office's 待办 (GET /api/inbox, /inbox, the counts in the navigation): what waits for the office to act. */
  inbox: ['office'],
  /** A plan's reporting cycles and who reported in each (GET /api/plans/:id/cycles*, /cycles*): they name every task and unit. */
  cycles: ['office', 'leader', 'reviewer', 'admin'],
  /** Who sets a plan's reporting cycles (PUT /api/plans/:id/cycles, the 报送周期 form): the office. */
  setCycles: ['office'],
  /** The audit log, its replays and proofs (/api/audit*, /api/replay*, /audit*, /history*): the log names every task. */
  audit: ['office', 'leader', 'reviewer', 'admin'],
  /** Who read what (/api/audit/access-log). */
  accessLog: ['reviewer', 'admin'],
  /**
   * Who imports and amends plans (POST /api/plans, /api/plans/preview, the 导入计划 page; POST
   * /api/plans/:id/tasks, /api/plans/:id/revisions[/preview], PATCH /api/plans/:id, the 修订计划 page).
   */
  planImport: ['office', 'admin'],
  /** Who may upload files (POST /api/files, a form's files): those who send events with them. */
  uploaders: ['unit', 'office'],
  /** A unit's own pages (/mine) and acknowledging its notifications. */
  ownUnit: ['unit'],
  /**
   * The notifications page (/notifications): a unit reads the notices sent to it; the office, reviewers
   * and admins read every notice sent (to whom, when, read or not), as the API lets them.
   */
  notifications: ['unit', 'office', 'leader', 'reviewer', 'admin'],
  /** Who gets notices by which channel (/api/notice-channels, /api/notice-people, /notice-channels): the office and admins set them. */
  noticeChannels: ['office', 'admin'],
  /** The channels' delivery log (/api/notice-deliveries, /notice-deliveries): the office reads what went out and what failed. */
  noticeDeliveries: ['office', 'reviewer', 'admin'],
  /** The circular (/circular, /circular/view): a 通报 is issued to every unit of the plan, naming tasks and units by design. */
  circular: ['office', 'leader', 'reviewer', 'admin', 'unit'],
  /** The assessment page (/assessment): plan-wide for the office, reviewers and admins; a unit sees only its own row and reasons. */
  assessment: ['office', 'leader', 'reviewer', 'admin', 'unit'],
  /** Who issues a circular (印发通报, POST /api/reports/circulars, /circular/issue): the office. */
  issueCirculars: ['office'],
  /** A person's watch list (关注, /watching, /api/watches): leaders and the office, each its own, by account. */
  watchers: ['leader', 'office'],
  /** The unit registry (GET /api/units): every signed-in caller names units (filters, REASSIGN). */
  units: ['unit', 'office', 'leader', 'reviewer', 'admin'],
  /** Changing the organisation: units (POST/PATCH /api/units, /admin/units) and accounts (/admin/accounts). */
  organisation: ['admin'],
} as const satisfies Record<string, readonly Role[]>;

/** Whose reads the access log records: everyone who may read more than their own unit's tasks. */
export const watchedReaders: readonly Role[] = ['reviewer', 'office', 'leader', 'admin'];
