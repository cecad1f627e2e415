import { calendarDate, partStates, reformTaskStates } from '@duban/reform-task';
import type { TaskView } from '@duban/reform-task';
import { z } from 'zod';
import { AS_OF_TEXT } from '../time/as-of.ts';
import { taskSortKeys } from '../tasks/task-order.ts';
import { SEARCH_TEXT_MAX } from '../tasks/task-search.ts';
import { BULK_MAX_TASKS, bulkEventTypes } from '../tasks/send-bulk.ts';
import { inboxKinds } from '../tasks/inbox.ts';
import type { NoticeType } from '../notifications/channels/channel-settings.ts';
import { noticeTypes } from '../notifications/channels/channel-settings.ts';
import type { Assessment, AssessmentReason, Summary, UnitAssessment } from '../reports/index.ts';

/**
 * The HTTP contract's schemas (DESIGN "HTTP contract"): what the routes validate requests with,
 * what they answer, and what `/api/openapi.json` is generated from.
 */

const lights = ['green', 'yellow', 'red', 'none'] as const;

/** A page size: a decimal integer 1..1000 in a query string. */
const limitParam = z
  .string()
  .regex(/^\d{1,4}$/, 'must be an integer from 1 to 1000')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be an integer from 1 to 1000').max(1000, 'must be an integer from 1 to 1000'));

/** A plan's id in a query (`?plan=`). */
export const planIdParam = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be a plan id (GET /api/plans)');

const written = (max: number, missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .max(max, `不超过 ${max} 字`)
    .refine((value) => /[^\s\p{Cf}]/u.test(value), missing);
const unitList = (min: number, max: number) =>
  z
    .array(z.string().trim().min(1, '单位名称不能为空').max(100))
    .min(min, '请至少填写一个牵头单位')
    .max(max)
    .refine((names) => new Set(names).size === names.length, '单位不得重复');

/** `POST /api/plans/:id/tasks`: a task added to a plan (领导交办, 会议议定事项) and why. */
export const newTaskBody = z.strictObject({
  reason: written(1000, '请填写交办依据（如某次会议议定、某位领导交办）').describe('why, or on whose word: recorded in the creation entry as input.addition.reason'),
  number: z.number({ error: '序号须为 1 至 9999 的整数' }).int('序号须为整数').min(1).max(9999).optional().describe("its number in the plan; after the plan's last task when absent; 409 when taken"),
  text: written(10_000, '请填写任务内容'),
  part: z.string().trim().max(200).optional(),
  measure: z.string().trim().max(500).optional(),
  leadUnits: unitList(1, 50).describe('units of the registry (aliases resolve); not a collective'),
  responsibleUnits: unitList(0, 200).optional(),
  deadline: z.strictObject({
    date: calendarDate.nullable().describe('YYYY-MM-DD, or null for none'),
    text: z.string().trim().max(200).optional().describe('as written; by default the date in Chinese'),
    ongoing: z.boolean().optional(),
  }),
});

/** What an amendment wrote: tasks created, amended (AMEND) and withdrawn (CANCEL), and the audit entries' seqs. */
export const amendmentResponse = z.strictObject({
  created: z.array(z.string()),
  amended: z.array(z.string()),
  withdrawn: z.array(z.string()),
  entries: z.array(z.number().int()),
});

/** `POST /api/plans/:id/revisions/preview`: a revised document's difference from the plan as it stands. */
export const revisionPreviewResponse = z.strictObject({
  planId: z.string(),
  basis: z.string().describe('pass back to apply: refused (409) once the plan has changed'),
  changes: z.array(
    z.strictObject({
      id: z.string().describe('add:<number>, change:<task id> or remove:<task id>'),
      kind: z.enum(['add', 'change', 'remove']),
      number: z.number().int(),
      taskId: z.string().nullable(),
      text: z.string(),
      fields: z.array(z.strictObject({ field: z.enum(['text', 'deadline', 'leadUnits', 'responsibleUnits']), from: z.unknown(), to: z.unknown() })),
    }),
  ),
  unchanged: z.number().int(),
  unknownUnits: z.array(z.strictObject({ name: z.string(), lines: z.array(z.number().int()) })),
  warnings: z.array(z.looseObject({ line: z.number().int(), message: z.string() })),
  source: z.strictObject({ name: z.string(), sha256: z.string() }),
});

/** `POST /api/plans/:id/revisions` as JSON: the revised Plan JSON and the choices (multipart: the file and the same fields as text). */
export const revisionApplyBody = z.strictObject({
  plan: z.record(z.string(), z.unknown()).describe('the revised Plan JSON'),
  basis: z.string(),
  apply: z.array(z.string()).min(1),
  reason: z.string().min(1),
});

/** `PATCH /api/plans/:id`: the plan active (in the plan selector's default) or not. */
export const planActiveBody = z.strictObject({ active: z.boolean({ error: '须为 true 或 false' }) });

export const taskListQuery = z
  .strictObject({
    state: z.enum(reformTaskStates).optional().describe('only tasks in this state'),
    unit: z.string().trim().min(1).max(100).optional().describe('only tasks this unit is a party to (lead, responsible or collective member)'),
    light: z.enum(lights).optional().describe('only tasks with this light (红黄绿灯)'),
    partUnit: z.string().trim().min(1).max(100).optional().describe('only tasks on which this unit has its own part (a responsible unit, or a member of a collective named on the task)'),
    partLight: z
      .enum(lights)
      .optional()
      .describe('with partUnit: only tasks on which that unit’s own part has this light (its part done: green; not done: the task’s light), as the dashboard’s 各单位承担部分 chart counts them'),
    plan: planIdParam.optional().describe('only the tasks of this plan (GET /api/plans lists them)'),
    q: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(SEARCH_TEXT_MAX, `must be at most ${SEARCH_TEXT_MAX} characters`)
      .optional()
      .describe('keywords: only tasks whose number, text, measure, part, units, latest progress or report contain this text (plain text, case-insensitive for Latin letters)'),
    sort: z.enum(taskSortKeys).optional().describe('order by this column (number: plan order, the default; deadline: the limit in force; updated: the last change); ties in plan order'),
    order: z.enum(['asc', 'desc']).optional().describe('asc (default) or desc; tasks without a value come last either way'),
    overdue: z.enum(['true', 'false']).transform((value) => value === 'true').optional().describe('true: only tasks past their limit in force now'),
    dueFrom: z.iso.date('must be a date YYYY-MM-DD').optional().describe('only tasks whose limit in force is on or after this day (YYYY-MM-DD)'),
    dueTo: z.iso.date('must be a date YYYY-MM-DD').optional().describe('only tasks whose limit in force is on or before this day (YYYY-MM-DD)'),
    limit: limitParam.optional().describe('page size, default 100, at most 1000'),
    cursor: z.string().regex(/^[A-Za-z0-9_-]{1,400}$/, 'must be a cursor from nextCursor').optional().describe('opaque: nextCursor of the previous page (of the same query)'),
  })
  .refine((query) => query.dueFrom === undefined || query.dueTo === undefined || query.dueFrom <= query.dueTo, { path: ['dueTo'], message: 'must not be before dueFrom' })
  .refine((query) => query.partLight === undefined || query.partUnit !== undefined, { path: ['partLight'], message: 'needs partUnit: the light of whose part' });

export const auditQuery = z.strictObject({
  after: z.string().regex(/^\d{1,15}$/, 'must be a non-negative integer (a seq)').transform(Number).optional().describe('entries with seq greater than this'),
  limit: limitParam.optional().describe('page size, default 100, at most 1000'),
});

export const replayQuery = z.strictObject({
  asOf: z.iso.datetime({ offset: true }).optional().describe('ISO 8601 instant; states as they stood then'),
});

export const noQuery = z.strictObject({});

/** `POST /api/tasks/:id/comments`: an object; its fields are COMMENT's payload, the workflow's to check. */
export const commentBody = z.record(z.string(), z.unknown());

/** `POST /api/tasks/:id/events`: an event type and its payload's fields side by side; the payload is the workflow's to check. */
export const eventBody = z.looseObject({
  type: z.string().min(1).max(64).describe('the event type, e.g. START'),
});

/** `POST /api/tasks/bulk-events`: the tasks, the event type, and the payload's fields beside them (the workflow checks the payload). */
export const bulkEventBody = z.looseObject({
  ids: z
    .array(z.string().min(1).max(200))
    .min(1, 'must name at least one task')
    .max(BULK_MAX_TASKS, `must name at most ${BULK_MAX_TASKS} tasks; send more in several requests`)
    .refine((ids) => new Set(ids).size === ids.length, 'must not name a task twice')
    .describe(`the tasks, 1 to ${BULK_MAX_TASKS}, each named once`),
  type: z.enum(bulkEventTypes).describe('URGE (督办), DECIDE_EXTENSION or REASSIGN'),
});

/** `Idempotency-Key`: 1..200 printable ASCII characters. */
export const idempotencyKeyHeader = z.string().regex(/^[\x20-\x7E]{1,200}$/, 'must be 1 to 200 printable ASCII characters');

export { ifMatchHeader } from '../http/etag.ts';

export const actorSchema = z.strictObject({
  role: z.string(),
  unit: z.string().nullable(),
  account: z
    .strictObject({ id: z.number().int(), name: z.string().describe('the display name at the time') })
    .optional()
    .describe('the person who acted (absent for services, timers and entries written before accounts)'),
});

export const auditEntrySchema = z.strictObject({
  seq: z.number().int(),
  taskId: z.string(),
  version: z.number().int().describe('the task version after this entry'),
  type: z.string(),
  actor: actorSchema,
  from: z.string().nullable(),
  to: z.string(),
  at: z.string().describe('ISO 8601 instant, UTC'),
  payload: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});

export const taskViewSchema = z.strictObject({
  id: z.string(),
  planId: z.string(),
  number: z.number().int(),
  part: z.string(),
  measure: z.string(),
  text: z.string(),
  leadUnits: z.array(z.string()),
  responsibleUnits: z.array(z.string()),
  deadline: z.strictObject({ date: z.string().nullable(), ongoing: z.boolean(), text: z.string() }),
  dueDate: z.string().nullable().describe('the limit in force after extensions and rectification dates'),
  state: z.enum(reformTaskStates),
  stateLabel: z.string(),
  version: z.number().int(),
  overdue: z.boolean(),
  overdueDays: z.number().int(),
  light: z.enum(lights),
  lightLabel: z.string(),
  rejections: z.number().int(),
  urges: z.number().int(),
  lastProgress: z
    .strictObject({ summary: z.string(), percent: z.number().nullable(), at: z.number(), by: z.string().nullable(), person: z.strictObject({ id: z.number(), name: z.string() }).optional().describe('who reported (the account as the log names it); absent for a service token') })
    .nullable(),
  pendingExtension: z.strictObject({ until: z.string(), reason: z.string(), requestedBy: z.string().nullable(), requestedAt: z.number() }).nullable(),
  parts: z
    .array(
      z.strictObject({
        unit: z.string(),
        state: z.enum(partStates),
        percent: z.number().int().nullable().describe('the latest percent the unit gave; 100 once done'),
        progressReports: z.number().int(),
        lastProgress: z
          .strictObject({ summary: z.string(), percent: z.number().nullable(), at: z.number(), person: z.strictObject({ id: z.number(), name: z.string() }).optional() })
          .nullable(),
        acknowledgedAt: z.number().nullable(),
        doneAt: z.number().nullable(),
        doneSummary: z.string().nullable(),
        returnedReason: z.string().nullable().describe('why the part was last returned (RETURN_PART) to reporting'),
      }),
    )
    .describe('each unit’s own part (every responsible unit; each member of a collective in its stead), in that order; `assigned` until the unit’s first part event'),
  allowedEvents: z.array(z.string()).describe('the events the caller may send now'),
  unreported: z.array(z.string()).optional().describe('未报: the units of the task that did not report in the latest closed reporting cycle and have not reported since (GET /api/tasks and /api/tasks/{id})'),
});

// The schema must describe exactly what the workflow's taskView returns, and the server's 未报 beside it.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const taskViewMatches: Same<keyof Omit<z.output<typeof taskViewSchema>, 'unreported'>, keyof TaskView> = true;
void taskViewMatches;

export const taskListResponse = z.strictObject({ items: z.array(taskViewSchema), nextCursor: z.string().nullable() });
export const eventResponse = z.strictObject({ task: taskViewSchema, entry: auditEntrySchema });

export const bulkResultSchema = z.strictObject({
  id: z.string(),
  status: z.number().int().describe('what sending this event to this task alone would have answered: 200, or the problem’s status (404 also for a task the caller may not see)'),
  entry: auditEntrySchema.optional(),
  problem: z.record(z.string(), z.unknown()).optional().describe('the problem (RFC 9457 fields) when refused'),
});

export const bulkEventResponse = z.strictObject({ results: z.array(bulkResultSchema) });

export const historyResponse = z.strictObject({ items: z.array(auditEntrySchema) });
export const auditPageResponse = z.strictObject({ items: z.array(auditEntrySchema), next: z.number().int().nullable().describe('pass as `after` for the next page; null at the end') });
export const verifyResponse = z.strictObject({
  ok: z.boolean(),
  entries: z.number().int(),
  firstBadSeq: z.number().int().optional(),
  reason: z.string().optional(),
  checkpoints: z.number().int().describe('signed checkpoints verified against the server key (0 when the server has none configured)'),
  files: z
    .strictObject({
      checked: z.number().int().describe('distinct evidence files the entries recorded, read back and hashed'),
      broken: z
        .array(z.strictObject({ seq: z.number().int(), name: z.string(), sha256: z.string(), problem: z.enum(['missing', 'altered']) }))
        .describe('each entry whose file is missing (deleted) or altered (replaced or truncated), in log order'),
    })
    .describe('the evidence files; any broken one makes ok false'),
});
export const replayResponse = z.strictObject({
  items: z.array(z.strictObject({ taskId: z.string(), state: z.string(), version: z.number().int() })),
  differences: z.array(z.strictObject({ taskId: z.string(), seq: z.number().int().optional(), reason: z.string() })),
});
export const healthResponse = z.strictObject({ status: z.literal('ok') });

export const problemSchema = z.looseObject({
  type: z.string(),
  title: z.string().describe('Chinese, for people'),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.strictObject({ path: z.string(), message: z.string() })).optional().describe('422: the offending fields'),
  allowedEvents: z.array(z.string()).optional().describe('409: what the caller may send now'),
  etag: z.string().optional().describe('412: the current ETag'),
});

// ---- Office oversight: reports (GET /api/reports/…) and notifications (GET /api/notifications).

/** `asOf` of a report: an ISO 8601 instant, or a date meaning the end of that day in Asia/Shanghai. */
const reportAsOfParam = z
  .string()
  .regex(AS_OF_TEXT, 'must be an ISO 8601 instant such as 2023-08-31T18:00:00+08:00 or a date such as 2023-08-31')
  .describe('ISO 8601 instant, or YYYY-MM-DD for the end of that day (Asia/Shanghai; now if today); default now; never after now');

const planParam = () => planIdParam.optional().describe('only this plan (GET /api/plans); every plan when absent');

export const reportQuery = z.strictObject({ asOf: reportAsOfParam.optional(), plan: planParam() });

export const unitsReportQuery = z.strictObject({
  asOf: reportAsOfParam.optional(),
  plan: planParam(),
  period: z.string().max(10).optional().describe('an assessment period: a quarter (2023Q3) or a year (2023); only its facts count; not with asOf'),
  unit: z.string().trim().min(1).max(100).optional().describe('only this unit, with every reason for its score (each scored audit entry)'),
});

const periodParam = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'must be a date YYYY-MM-DD or a month YYYY-MM');

export const circularQuery = z.strictObject({
  from: periodParam.describe('first day (YYYY-MM-DD) or month (YYYY-MM) of the period'),
  to: periodParam.describe('last day (YYYY-MM-DD) or month (YYYY-MM) of the period, not after today'),
  format: z.enum(['md', 'html']).optional().describe('md (text/markdown, default) or html (text/html, printable)'),
  plan: planParam(),
});

/** `POST /api/reports/circulars`: the period of the circular to issue. */
export const issueCircularBody = z.strictObject({
  from: periodParam.describe('first day (YYYY-MM-DD) or month (YYYY-MM) of the period'),
  to: periodParam.describe('last day (YYYY-MM-DD) or month (YYYY-MM) of the period, not after today'),
});

/** `GET /api/reports/circulars/:id`: the issued circular as JSON (default), Markdown, printable HTML or Word. */
export const issuedCircularQuery = z.strictObject({
  format: z.enum(['json', 'md', 'html', 'docx']).optional().describe('json (default), md, html (printable) or docx (Word, for editing)'),
});

const count = z.number().int();
const tallyShape = { total: count, closed: count, verified: count, overdue: count, red: count, yellow: count, green: count };

export const summaryResponse = z.strictObject({
  asOf: z.string().describe('ISO 8601 instant the figures are as of'),
  total: count,
  byState: z.record(z.enum(reformTaskStates), count),
  byLight: z.record(z.enum(lights), count),
  byPart: z.array(z.strictObject({ part: z.string(), ...tallyShape })).describe('by 所属部分, in plan order'),
  byLeadUnit: z.array(z.strictObject({ unit: z.string(), ...tallyShape })).describe('by lead unit, in pinyin order'),
  completion: z.strictObject({ done: count, base: count, rate: z.number(), percent: z.string() }).describe('verified or closed over all tasks not cancelled'),
  overdue: z.array(
    z.strictObject({
      id: z.string(),
      number: count,
      text: z.string(),
      leadUnits: z.array(z.string()),
      responsibleUnits: z.array(z.string()),
      dueDate: z.string().nullable(),
      days: count,
      state: z.string(),
      stateLabel: z.string(),
    }),
  ),
  activity: z.strictObject({
    urges: count,
    warnings: count,
    deadlinesPassed: count,
    rejections: count,
    interviewsStarted: count,
    interviewsHeld: count,
    referrals: count,
    commendations: count,
    extensionsApproved: count,
  }),
});

export const assessmentResponse = z.strictObject({
  rulesVersion: z.string(),
  base: z.number(),
  asOf: z.string(),
  period: z
    .strictObject({ name: z.string(), from: z.string(), to: z.string() })
    .optional()
    .describe('with ?period= only: the quarter or year assessed (only its facts count), its first and last day'),
  units: z.array(
    z.strictObject({
      unit: z.string(),
      rank: z.number().int().min(1).describe('1 + the number of units with a higher score: tied units share a rank (并列), and the next rank skips'),
      score: z.number(),
      gained: z.number(),
      lost: z.number(),
      byRule: z
        .array(z.strictObject({ ruleId: z.string(), text: z.string().describe('the rule, in Chinese'), count, points: z.number() }))
        .describe('the rules that scored the unit, how often, and their points in all'),
      reasons: z.array(
        z.strictObject({
          ruleId: z.string(),
          text: z.string().describe('the rule, in Chinese'),
          taskId: z.string(),
          taskNumber: count,
          points: z.number(),
          seq: count.describe('the audit entry that scored it'),
          at: z.string(),
          via: z.string().nullable().describe('the collective the unit was named through, e.g. 各区人民政府'),
        }),
      ).optional().describe('with ?unit= only: one per scored audit entry, in seq order'),
    }),
  ).describe('highest score first, then by name'),
});

// The schemas must describe exactly what the report functions return.
const summaryMatches: Same<keyof z.output<typeof summaryResponse>, keyof Summary> = true;
const assessmentMatches: Same<keyof z.output<typeof assessmentResponse>, keyof Assessment> = true;
const unitMatches: Same<keyof z.output<typeof assessmentResponse>['units'][number], keyof UnitAssessment> = true;
const reasonMatches: Same<keyof NonNullable<z.output<typeof assessmentResponse>['units'][number]['reasons']>[number], keyof AssessmentReason> = true;
void [summaryMatches, assessmentMatches, unitMatches, reasonMatches];

export const notificationListQuery = z.strictObject({
  unread: z.enum(['1', '0', 'true', 'false']).optional().describe('1: only those not yet acknowledged'),
  unit: z.string().trim().min(1).max(100).optional().describe("office, reviewer, admin: only this unit's; a unit may name only itself"),
  limit: limitParam.optional().describe('page size, default 50, at most 1000'),
  cursor: z.string().regex(/^[1-9]\d{0,14}$/, 'must be a nextCursor returned by this endpoint').optional().describe('opaque: nextCursor of the previous page'),
});

export const notificationSchema = z.strictObject({
  id: count,
  unit: z.string().describe('the unit it is for'),
  taskId: z.string(),
  entrySeq: count.describe('the audit entry that caused it'),
  type: z.string().describe('URGE, WARN, DEADLINE_PASSED, ESCALATE, REJECT, RECORD_INTERVIEW, REFER, VERIFY, CLOSE or DECIDE_EXTENSION'),
  title: z.string().describe('Chinese'),
  body: z.string().describe('Chinese'),
  createdAt: z.string().describe('ISO 8601 instant of the audit entry'),
  acknowledgedAt: z.string().nullable().describe('when the unit acknowledged it; null while unread'),
});

export const notificationListResponse = z.strictObject({ items: z.array(notificationSchema).describe('newest first'), nextCursor: z.string().nullable() });

export const notificationReadAllBody = z.strictObject({
  taskId: z.string().trim().min(1).max(200).optional().describe("only this task's notices; every unread notice of the unit when absent"),
});

export const notificationReadAllResponse = z.strictObject({ acknowledged: z.number().int().min(0).describe('how many notices this request marked read') });

// ---- Notice channels: who gets notices by e-mail and the group robots, and the delivery log.

const noticeKinds = z
  .array(z.enum(noticeTypes as [NoticeType, ...NoticeType[]]))
  .max(20)
  .nullable()
  .optional()
  .describe('the notice types this channel takes (the notified task events; REMIND and CYCLE_DUE: the reporting cycles’ reminder and 催报); every type when absent or null');

export const noticeChannelParam = z.enum(['email', 'wecom', 'dingtalk']);

export const emailChannelBody = z.strictObject({
  address: z.string().max(320).describe("the unit's mailbox, e.g. duban@example.gov.cn"),
  kinds: noticeKinds,
});

export const wecomChannelBody = z.strictObject({
  url: z.string().max(2000).describe('the group robot’s webhook URL (https; its key is kept and shown masked)'),
  format: z.enum(['markdown', 'text']).optional().describe('markdown by default'),
  kinds: noticeKinds,
});

export const dingtalkChannelBody = z.strictObject({
  url: z.string().max(2000).describe('the custom robot’s webhook URL with its access_token (https; shown masked)'),
  secret: z.string().max(256).optional().describe('加签 secret (SEC…); the URL is then signed with timestamp and sign; never shown back'),
  kinds: noticeKinds,
});

export const noticeChannelSchema = z.strictObject({
  unit: z.string(),
  channel: noticeChannelParam,
  target: z.string().describe('the mailbox, or the robot URL with its query values masked'),
  secretSet: z.boolean(),
  format: z.string(),
  kinds: z.array(z.string()).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deliveries: z.strictObject({ pending: count, delivered: count, failed: count, cancelled: count }),
});

export const noticeChannelListQuery = z.strictObject({ unit: z.string().trim().min(1).max(100).optional().describe("only this unit's") });

export const noticeChannelListResponse = z.strictObject({ items: z.array(noticeChannelSchema) });

export const noticePersonSchema = z.strictObject({
  accountId: count,
  login: z.string(),
  displayName: z.string(),
  unit: z.string(),
  email: z.string(),
  wantsEmail: z.boolean(),
});

export const noticePeopleResponse = z.strictObject({ items: z.array(noticePersonSchema) });

export const noticePersonBody = z.strictObject({ email: z.boolean().describe("true: mail this person the notices of their unit") });

export const deliveryLogQuery = z.strictObject({
  unit: z.string().trim().min(1).max(100).optional(),
  channel: noticeChannelParam.optional(),
  status: z.enum(['pending', 'delivered', 'failed', 'cancelled']).optional(),
  limit: limitParam.optional().describe('page size, default 50, at most 1000'),
  cursor: z.string().regex(/^[1-9]\d{0,14}$/, 'must be a nextCursor returned by this endpoint').optional(),
});

export const deliveryLogEntrySchema = z.strictObject({
  id: count,
  notificationId: count,
  unit: z.string(),
  taskId: z.string(),
  type: z.string(),
  title: z.string(),
  channel: noticeChannelParam,
  recipient: z.string().describe('the e-mail address, or robot'),
  accountId: count.nullable(),
  status: z.enum(['pending', 'delivered', 'failed', 'cancelled']),
  attempts: count,
  nextAttemptAt: z.string(),
  lastAttemptAt: z.string().nullable(),
  lastError: z.string().nullable().describe('English, for the log'),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});

export const deliveryLogResponse = z.strictObject({ items: z.array(deliveryLogEntrySchema).describe('newest first'), nextCursor: z.string().nullable() });


// Accountability review: checkpoints, Merkle proofs, time-travel diffs, the access log.

/** A positive decimal integer (a seq or a log size) in a path or query string. */
const sizeParam = (what: string) => z.string().regex(/^[1-9]\d{0,14}$/, `must be a positive integer (${what})`).transform(Number);
const hex = z.string().regex(/^[0-9a-f]{64}$/);

export const checkpointSchema = z.strictObject({
  size: z.number().int().describe('entries the checkpoint covers'),
  rootHash: hex.describe('RFC 9162 Merkle root of those entries, hex'),
  time: z.string().describe('ISO 8601 instant it was signed'),
  text: z.string().describe('the signed checkpoint text, to keep and verify with the public key'),
});
export const checkpointListQuery = z.strictObject({
  after: z.string().regex(/^\d{1,15}$/, 'must be a non-negative integer (a log size)').transform(Number).optional().describe('checkpoints of a log size greater than this'),
  limit: limitParam.optional().describe('page size, default 100, at most 1000'),
});
export const checkpointListResponse = z.strictObject({
  items: z.array(checkpointSchema).describe('oldest first'),
  next: z.number().int().nullable().describe('pass as `after` for the next page; null at the end'),
});

export const inclusionProofParams = z.strictObject({ seq: sizeParam('a seq') });
export const inclusionProofQuery = z.strictObject({
  size: sizeParam('a log size').optional().describe('the log size to prove against; default the latest checkpoint covering the entry, else the whole log'),
});
export const inclusionProofResponse = z.strictObject({
  seq: z.number().int(),
  size: z.number().int(),
  leafHash: hex.describe("the entry's hash"),
  rootHash: hex.describe('Merkle root of the first `size` entries'),
  proof: z.array(hex).describe('RFC 9162 inclusion proof, bottom up'),
  entry: auditEntrySchema,
});

export const consistencyQuery = z.strictObject({
  from: sizeParam('a log size').describe('the older log size'),
  to: sizeParam('a log size').optional().describe('the newer log size; default the whole log'),
});
export const consistencyProofResponse = z.strictObject({
  from: z.number().int(),
  to: z.number().int(),
  fromRoot: hex,
  toRoot: hex,
  proof: z.array(hex).describe('RFC 9162 consistency proof'),
});

export const replayDiffQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).describe('ISO 8601 instant'),
  to: z.iso.datetime({ offset: true }).describe('ISO 8601 instant, not before `from`'),
});
const taskAtSchema = z.strictObject({ state: z.string(), light: z.enum(lights), dueDate: z.string().nullable() });
export const replayDiffResponse = z.strictObject({
  items: z.array(
    z.strictObject({
      taskId: z.string(),
      number: z.number().int(),
      from: taskAtSchema.nullable().describe('null when the task did not exist yet'),
      to: taskAtSchema,
      changed: z.array(z.enum(['state', 'light', 'deadline'])),
    }),
  ).describe('tasks whose state, light or deadline in force changed, by task number'),
});

export const accessLogQuery = z.strictObject({
  after: z.string().regex(/^\d{1,15}$/, 'must be a non-negative integer (an id)').transform(Number).optional().describe('records with id greater than this'),
  limit: limitParam.optional().describe('page size, default 100, at most 1000'),
});
export const accessRecordSchema = z.strictObject({
  id: z.number().int(),
  at: z.string().describe("ISO 8601 instant the request arrived, by the server's clock"),
  tokenId: z.number().int().describe("0 for a person's web session"),
  accountId: z.number().int().optional().describe('the account of the person who read'),
  role: z.string(),
  method: z.string(),
  path: z.string().describe('path and query string'),
  status: z.number().int(),
});
export const accessLogResponse = z.strictObject({ items: z.array(accessRecordSchema), next: z.number().int().nullable().describe('pass as `after` for the next page; null at the end') });

// The unit registry.

const unitName = z.string().max(100).describe('trimmed and NFC-normalised when stored');
const unitKind = z.enum(['city-department', 'district-government', 'collective', 'external', 'group']);

export const unitSchema = z.strictObject({
  name: z.string().describe('the canonical name tasks carry'),
  kind: unitKind.describe('city-department 市直部门 · district-government 区（县）政府 · collective 集合性单位 · external 垂直管理单位 · group 领导小组及其办公室'),
  aliases: z.array(z.string()).describe('other names that resolve to it'),
  members: z.array(z.string()).describe("a collective's units (各区人民政府 → the district governments); [] for any other unit"),
});

export const unitListResponse = z.strictObject({ items: z.array(unitSchema).describe("in the registry's order") });

export const unitAddBody = z.strictObject({
  name: unitName,
  kind: unitKind,
  aliases: z.array(unitName).max(100).optional(),
  members: z.array(unitName).max(500).optional().describe('only for a collective: existing units that are not collectives'),
});

export const unitEditBody = z.strictObject({
  kind: unitKind.optional(),
  addAliases: z.array(unitName).max(100).optional(),
  removeAliases: z.array(unitName).max(100).optional(),
  members: z.array(unitName).max(500).optional().describe("replaces a collective's members; [] clears them"),
});

/** `GET /api/inbox`: one kind or all, how many items of each kind, after how many days an unsigned task waits. */
export const inboxQuery = z.strictObject({
  kind: z.enum(inboxKinds).optional().describe('only the items of this kind (the counts are always all)'),
  limit: limitParam.optional().describe('items of each kind, the longest waiting first; default 100, at most 1000'),
  unsignedDays: z
    .string()
    .regex(/^\d{1,3}$/, 'must be an integer from 0 to 365')
    .transform(Number)
    .pipe(z.number().int().max(365, 'must be an integer from 0 to 365'))
    .optional()
    .describe('a task not signed (START) this many days after its assignment waits under unsigned; default 3'),
});

const inboxCountsSchema = z.strictObject({
  toVerify: count.describe('reports waiting to be verified (state reported)'),
  extensions: count.describe('extension requests waiting for a decision'),
  unsigned: count.describe('tasks still assigned (not signed with START) unsignedDays after their assignment'),
  overdue: count.describe('tasks past their limit in force now'),
  openQuestions: count.describe('tasks with a question (COMMENT with ask) some named unit has not answered'),
  unreported: count.describe('parts not reported this cycle: always 0 until tasks have parts (a later issue)'),
});

export const inboxResponse = z.strictObject({
  counts: inboxCountsSchema,
  items: z.array(
    z.strictObject({
      kind: z.enum(inboxKinds),
      taskId: z.string(),
      number: z.number().int(),
      text: z.string(),
      leadUnits: z.array(z.string()),
      state: z.string(),
      dueDate: z.string().nullable(),
      since: z.string().nullable().describe('ISO instant it began to wait: reported, requested, assigned, the limit passed, the first open question asked'),
      extension: z.strictObject({ until: z.string(), reason: z.string(), requestedBy: z.string().nullable() }).optional().describe('kind extensions: the request'),
      questions: z.array(z.strictObject({ text: z.string(), waitingFor: z.array(z.string()), askedAt: z.string() })).optional().describe('kind openQuestions: the questions still waiting'),
    }),
  ),
});

const cycleSchema = z.strictObject({
  key: z.string().describe('2023-06 (monthly) or 2023-Q3 (quarterly)'),
  dueDate: z.string().describe('the due day, YYYY-MM-DD'),
  opensAt: z.string().describe('a report counts for the cycle from this instant (the previous cycle’s due instant)'),
  dueAt: z.string().describe('… until this instant: the end of the due day in Asia/Shanghai'),
  remindAt: z.string().describe('the reminder: 09:00 remindDays days before the due day'),
});

const cycleSettingsSchema = z.strictObject({ frequency: z.enum(['monthly', 'quarterly', 'none']), day: z.union([z.literal('last'), z.number().int()]), remindDays: z.number().int() });
const closedCyclesSchema = z.array(z.strictObject({ key: z.string(), dueAt: z.string(), parts: z.number().int(), reported: z.number().int() })).describe('the closed cycles recorded, latest first');

/** A task's own reporting cycles (PUT /api/plans/{id}/cycles/tasks/{task}; each of `overrides`). */
export const taskCyclesResponse = z.strictObject({
  taskId: z.string(),
  number: z.number().int(),
  settings: cycleSettingsSchema,
  description: z.string().describe('in words, as the plan’s'),
  current: cycleSchema.nullable().describe('the cycle running for the task; null for none'),
  closed: closedCyclesSchema.describe('the closed cycles of the task’s own schedule, latest first'),
});

/** A plan's reporting cycles (GET and PUT /api/plans/{id}/cycles). */
export const planCyclesResponse = z.strictObject({
  planId: z.string(),
  settings: cycleSettingsSchema.nullable().describe('null until the office sets them'),
  description: z.string().describe('in words: 每月5日, 每月月末, 每季度首月10日, 每季度季末, 不设报送周期'),
  current: cycleSchema.nullable().describe('the running cycle; null without cycles'),
  closed: closedCyclesSchema.describe('the closed cycles of the plan’s schedule recorded, latest first'),
  overrides: z.array(taskCyclesResponse).describe('the tasks with cycles of their own, by number: the plan’s do not judge them'),
});

/** 报送情况 of one cycle (GET /api/plans/{id}/cycles/{cycle}/reports). */
export const cycleReportsResponse = z.strictObject({
  planId: z.string(),
  cycle: cycleSchema.describe('the plan’s cycle of this key when it has one, else the first task’s own'),
  closed: z.boolean().describe('every schedule’s cycle of this key fell due: the parts as recorded then'),
  schedules: z
    .array(z.strictObject({ taskId: z.string().nullable().describe('null: the plan’s schedule; else the task whose own it is'), cycle: cycleSchema, closed: z.boolean() }))
    .describe('each schedule with a cycle of this key: the plan’s first, then the tasks’ own by number'),
  reported: z.number().int(),
  unreported: z.number().int(),
  parts: z.array(
    z.strictObject({
      taskId: z.string(),
      number: z.number().int(),
      unit: z.string(),
      lead: z.boolean().describe('牵头 (else 配合)'),
      schedule: z.enum(['plan', 'task']).describe('judged by the plan’s schedule, or by its task’s own'),
      dueDate: z.string().describe('the due day of this line’s cycle, YYYY-MM-DD'),
      reported: z.boolean(),
      reportedAt: z.string().nullable().describe('the first report in the cycle’s window'),
      seq: z.number().int().nullable().describe('its audit entry'),
    }),
  ),
});
