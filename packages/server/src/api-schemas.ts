import { reformTaskStates } from '@duban/reform-task';
import type { TaskView } from '@duban/reform-task';
import { z } from 'zod';

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

/** `POST /api/tasks/:id/events`: an event type and its payload's fields side by side; the payload is the workflow's to check. */
export const eventBody = z.looseObject({
  type: z.string().min(1).max(64).describe('the event type, e.g. START'),
});

/** `Idempotency-Key`: 1..200 printable ASCII characters. */
export const idempotencyKeyHeader = z.string().regex(/^[\x20-\x7E]{1,200}$/, 'must be 1 to 200 printable ASCII characters');

/** `If-Match`: one strong ETag `"<version>"`, or `*`. */
export const ifMatchHeader = z.string().regex(/^(\*|"\d{1,9}")$/, 'must be "<version>" as sent in ETag, or *');

export const actorSchema = z.strictObject({ role: z.string(), unit: z.string().nullable() });

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
