import { reformTaskStates } from '@duban/reform-task';
import type { TaskView } from '@duban/reform-task';
import { z } from 'zod';
import { AS_OF_TEXT } from '../time/as-of.ts';
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

export const taskListQuery = z.strictObject({
  state: z.enum(reformTaskStates).optional().describe('only tasks in this state'),
  unit: z.string().trim().min(1).max(100).optional().describe('only tasks this unit is a party to (lead, responsible or collective member)'),
  light: z.enum(lights).optional().describe('only tasks with this light (红黄绿灯)'),
  limit: limitParam.optional().describe('page size, default 100, at most 1000'),
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,400}$/, 'must be a cursor from nextCursor').optional().describe('opaque: nextCursor of the previous page'),
});

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
  lastProgress: z.strictObject({ summary: z.string(), percent: z.number().nullable(), at: z.number(), by: z.string().nullable() }).nullable(),
  pendingExtension: z.strictObject({ until: z.string(), reason: z.string(), requestedBy: z.string().nullable(), requestedAt: z.number() }).nullable(),
  allowedEvents: z.array(z.string()).describe('the events the caller may send now'),
});

// The schema must describe exactly what the workflow's taskView returns.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const taskViewMatches: Same<keyof z.output<typeof taskViewSchema>, keyof TaskView> = true;
void taskViewMatches;

export const taskListResponse = z.strictObject({ items: z.array(taskViewSchema), nextCursor: z.string().nullable() });
export const eventResponse = z.strictObject({ task: taskViewSchema, entry: auditEntrySchema });
export const historyResponse = z.strictObject({ items: z.array(auditEntrySchema) });
export const auditPageResponse = z.strictObject({ items: z.array(auditEntrySchema), next: z.number().int().nullable().describe('pass as `after` for the next page; null at the end') });
export const verifyResponse = z.strictObject({
  ok: z.boolean(),
  entries: z.number().int(),
  firstBadSeq: z.number().int().optional(),
  reason: z.string().optional(),
  checkpoints: z.number().int().describe('signed checkpoints verified against the server key (0 when the server has none configured)'),
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

export const reportQuery = z.strictObject({ asOf: reportAsOfParam.optional() });

export const unitsReportQuery = z.strictObject({
  asOf: reportAsOfParam.optional(),
  period: z.string().max(10).optional().describe('an assessment period: a quarter (2023Q3) or a year (2023); only its facts count; not with asOf'),
  unit: z.string().trim().min(1).max(100).optional().describe('only this unit, with every reason for its score (each scored audit entry)'),
});

const periodParam = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'must be a date YYYY-MM-DD or a month YYYY-MM');

export const circularQuery = z.strictObject({
  from: periodParam.describe('first day (YYYY-MM-DD) or month (YYYY-MM) of the period'),
  to: periodParam.describe('last day (YYYY-MM-DD) or month (YYYY-MM) of the period, not after today'),
  format: z.enum(['md', 'html']).optional().describe('md (text/markdown, default) or html (text/html, printable)'),
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
  type: z.string().describe('URGE, WARN, DEADLINE_PASSED, ESCALATE, REJECT, RECORD_INTERVIEW or REFER'),
  title: z.string().describe('Chinese'),
  body: z.string().describe('Chinese'),
  createdAt: z.string().describe('ISO 8601 instant of the audit entry'),
  acknowledgedAt: z.string().nullable().describe('when the unit acknowledged it; null while unread'),
});

export const notificationListResponse = z.strictObject({ items: z.array(notificationSchema).describe('newest first'), nextCursor: z.string().nullable() });

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
