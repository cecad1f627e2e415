import type { AnyWorkflowDefinition } from '@duban/engine';
import { eventLabels } from '@duban/reform-task';
import { z } from 'zod';
import {
  auditPageResponse,
  auditQuery,
  auditEntrySchema,
  eventResponse,
  healthResponse,
  historyResponse,
  idempotencyKeyHeader,
  ifMatchHeader,
  problemSchema,
  replayQuery,
  replayResponse,
  taskListQuery,
  taskListResponse,
  taskViewSchema,
  verifyResponse,
} from './schemas.ts';
import { deliveryLogQuery, deliveryLogResponse, dingtalkChannelBody, emailChannelBody, noticeChannelListQuery, noticeChannelListResponse, noticeChannelSchema, noticePeopleResponse, noticePersonBody, noticePersonSchema, wecomChannelBody } from './schemas.ts';
import { assessmentResponse, circularQuery, notificationListQuery, notificationListResponse, notificationReadAllBody, notificationReadAllResponse, notificationSchema, reportQuery, summaryResponse } from './schemas.ts';
import { bulkEventBody, bulkEventResponse, cycleReportsResponse, inboxQuery, inboxResponse, planCyclesResponse, taskCyclesResponse } from './schemas.ts';
import { cyclesBody } from '../cycles/cycle-input.ts';
import { issueCircularBody, issuedCircularQuery, unitsReportQuery } from './schemas.ts';
import { amendmentResponse, newTaskBody, planActiveBody, revisionApplyBody, revisionPreviewResponse } from './schemas.ts';
import { XLSX_TYPE } from '../reports/ledger/ledger-download.ts';
import {
  accessLogQuery,
  accessLogResponse,
  checkpointListQuery,
  checkpointListResponse,
  consistencyProofResponse,
  consistencyQuery,
  inclusionProofQuery,
  inclusionProofResponse,
  replayDiffQuery,
  replayDiffResponse,
  unitAddBody,
  unitEditBody,
  unitListResponse,
  unitSchema,
} from './schemas.ts';

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output' = 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function ref(name: string): JsonSchema {
  return { $ref: `#/components/schemas/${name}` };
}

function queryParameters(schema: z.ZodType): JsonSchema[] {
  const json = schemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    ...(typeof property['description'] === 'string' ? { description: property['description'] } : {}),
    schema: property,
  }));
}

const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), { $ref: `#/components/responses/Problem${status}` }]));

const PROBLEM_TITLES: Record<number, string> = {
  400: 'malformed JSON',
  401: 'no or bad token',
  403: 'the role may not do this',
  404: 'unknown, or not visible to the caller',
  409: 'not allowed in the current state; lists allowedEvents',
  412: 'If-Match is stale; carries the current ETag',
  413: 'body larger than 64 KiB',
  415: 'body is not JSON',
  422: 'fails its schema; errors name the fields',
  429: 'rate limited; see Retry-After',
  503: 'store unavailable; see Retry-After',
};

const ok = (schema: string, description: string, headers?: JsonSchema) => ({
  '200': { description, content: { 'application/json': { schema: ref(schema) } }, ...(headers === undefined ? {} : { headers }) },
});

const etagHeader = { ETag: { description: 'the task version, "<version>"', schema: { type: 'string' } } };
const taskId = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'task id, e.g. city-2023-reform.008' };
const planId = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'plan id (GET /api/plans)' };
const idempotencyKey = { name: 'Idempotency-Key', in: 'header', required: false, schema: schemaOf(idempotencyKeyHeader, 'input'), description: 'a retry with the same key and body gets the first answer' };

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the schemas the routes validate with and
 * the workflow's own event payload schemas. Pure.
 */
export function openApiDocument(workflow: AnyWorkflowDefinition): JsonSchema {
  const sendable = Object.entries(workflow.events).filter(([, spec]) => spec.systemOnly !== true);
  const eventSchemas = Object.fromEntries(
    sendable.map(([type, spec]) => {
      const payload = schemaOf(spec.payload, 'input') as { properties?: JsonSchema; required?: string[] };
      return [
        `Event_${type}`,
        {
          type: 'object',
          title: `${type} ${(eventLabels as Record<string, string>)[type] ?? ''}`.trim(),
          properties: { type: { const: type }, ...(payload.properties ?? {}) },
          required: ['type', ...(payload.required ?? [])],
          additionalProperties: false,
        },
      ];
    }),
  );
  const security = [{ bearer: [] }];
  return {
    openapi: '3.1.0',
    info: {
      title: 'duban 督办 API',
      version: '1',
      description: 'Reform-task supervision: tasks, their events, the audit log. Errors are RFC 9457 application/problem+json.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'dbn_<role>_<secret>, from `duban token create`' } },
      schemas: {
        TaskView: schemaOf(taskViewSchema),
        AuditEntry: schemaOf(auditEntrySchema),
        TaskList: schemaOf(taskListResponse),
        EventResult: schemaOf(eventResponse),
        BulkEvent: schemaOf(bulkEventBody, 'input'),
        BulkEventResult: schemaOf(bulkEventResponse),
        Inbox: schemaOf(inboxResponse),
        PlanCycles: schemaOf(planCyclesResponse),
        PlanCyclesInput: schemaOf(cyclesBody, 'input'),
        TaskCycles: schemaOf(taskCyclesResponse),
        CycleReports: schemaOf(cycleReportsResponse),
        History: schemaOf(historyResponse),
        AuditPage: schemaOf(auditPageResponse),
        AuditVerification: schemaOf(verifyResponse),
        Replay: schemaOf(replayResponse),
        Checkpoints: schemaOf(checkpointListResponse),
        InclusionProof: schemaOf(inclusionProofResponse),
        ConsistencyProof: schemaOf(consistencyProofResponse),
        ReplayDiff: schemaOf(replayDiffResponse),
        AccessLog: schemaOf(accessLogResponse),
        Summary: schemaOf(summaryResponse),
        Assessment: schemaOf(assessmentResponse),
        Notification: schemaOf(notificationSchema),
        NotificationList: schemaOf(notificationListResponse),
        Unit: schemaOf(unitSchema),
        UnitList: schemaOf(unitListResponse),
        UnitAdd: schemaOf(unitAddBody, 'input'),
        UnitEdit: schemaOf(unitEditBody, 'input'),
        NewTask: schemaOf(newTaskBody, 'input'),
        Amendment: schemaOf(amendmentResponse),
        RevisionPreview: schemaOf(revisionPreviewResponse),
        RevisionApply: schemaOf(revisionApplyBody, 'input'),
        PlanActive: schemaOf(planActiveBody, 'input'),
        NotificationReadAll: schemaOf(notificationReadAllResponse),
        NoticeChannel: schemaOf(noticeChannelSchema),
        NoticeChannelList: schemaOf(noticeChannelListResponse),
        NoticePerson: schemaOf(noticePersonSchema),
        NoticePeople: schemaOf(noticePeopleResponse),
        DeliveryLog: schemaOf(deliveryLogResponse),
        Health: schemaOf(healthResponse),
        Problem: schemaOf(problemSchema),
        Event: { oneOf: Object.keys(eventSchemas).map(ref), discriminator: { propertyName: 'type' } },
        ...eventSchemas,
      },
      responses: Object.fromEntries(
        Object.entries(PROBLEM_TITLES).map(([status, description]) => [
          `Problem${status}`,
          { description, content: { 'application/problem+json': { schema: ref('Problem') } } },
        ]),
      ),
    },
    paths: {
      '/healthz': { get: { summary: 'liveness', responses: ok('Health', 'up') } },
      '/api/openapi.json': { get: { summary: 'this document', responses: { '200': { description: 'OpenAPI 3.1 document' } } } },
      '/api/tasks': {
        get: {
          summary: 'tasks the caller may see, a page at a time',
          security,
          parameters: queryParameters(taskListQuery),
          responses: { ...ok('TaskList', 'a page of tasks'), ...problems(401, 422, 429, 503) },
        },
      },
      '/api/tasks/bulk-events': {
        post: {
          summary: 'send one event (URGE, DECIDE_EXTENSION, REASSIGN) with one payload to each of up to 1000 tasks: one audited entry per task, a result per task',
          security,
          parameters: [
            { name: 'Idempotency-Key', in: 'header', required: false, schema: schemaOf(idempotencyKeyHeader, 'input'), description: 'the request as a whole: a retry with the same key and body gets the first answer, another body a 422' },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('BulkEvent') } } },
          responses: { ...ok('BulkEventResult', 'each task’s outcome, in the order of ids'), ...problems(400, 401, 403, 413, 415, 422, 429, 503) },
        },
      },
      '/api/inbox': {
        get: {
          summary: 'the office’s 待办: counts of what waits (reports to verify, extension requests, unsigned and overdue tasks, open questions) and the items, the longest waiting first',
          security,
          parameters: queryParameters(inboxQuery),
          responses: { ...ok('Inbox', 'the counts and the items'), ...problems(401, 403, 422, 429, 503) },
        },
      },
      '/api/tasks/{id}': {
        get: {
          summary: 'one task',
          security,
          parameters: [taskId],
          responses: { ...ok('TaskView', 'the task', etagHeader), ...problems(401, 404, 429, 503) },
        },
      },
      '/api/tasks/{id}/events': {
        post: {
          summary: 'send an event to a task',
          security,
          parameters: [
            taskId,
            { name: 'If-Match', in: 'header', required: false, schema: schemaOf(ifMatchHeader, 'input'), description: 'refuse with 412 unless the task is at this version' },
            { name: 'Idempotency-Key', in: 'header', required: false, schema: schemaOf(idempotencyKeyHeader, 'input'), description: 'a retry with the same key and body gets the first answer' },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('Event') } } },
          responses: { ...ok('EventResult', 'committed', etagHeader), ...problems(400, 401, 403, 404, 409, 412, 413, 415, 422, 429, 503) },
        },
      },
      '/api/tasks/{id}/history': {
        get: { summary: "a task's audit entries", security, parameters: [taskId], responses: { ...ok('History', 'entries, oldest first'), ...problems(401, 404, 429, 503) } },
      },
      '/api/audit': {
        get: {
          summary: 'the audit log, a page at a time (office, reviewer, admin)',
          security,
          parameters: queryParameters(auditQuery),
          responses: { ...ok('AuditPage', 'entries by seq'), ...problems(401, 403, 422, 429, 503) },
        },
      },
      '/api/audit/verify': {
        get: { summary: "check the log's hash chain and its signed checkpoints with the server's key (office, reviewer, admin)", security, responses: { ...ok('AuditVerification', 'the verdict'), ...problems(401, 403, 429, 503) } },
      },
      '/api/replay': {
        get: {
          summary: 'states recomputed from the log',
          security,
          parameters: queryParameters(replayQuery),
          responses: { ...ok('Replay', 'replayed states'), ...problems(401, 403, 422, 429, 503) },
        },
      },
      ...oversightPaths(security),
      ...noticeChannelPaths(security),
      ...accountabilityPaths(security),
      ...cyclePaths(security),
    },
  };
}

/** The office's reports and the units' notifications. */
function oversightPaths(security: JsonSchema[]): Record<string, JsonSchema> {
  const download = (type: string, description: string) => ({
    '200': {
      description,
      headers: { 'Content-Disposition': { description: "attachment; filename=\"ledger-<date>.<ext>\"; filename*=UTF-8''台账-<date>.<ext> (RFC 6266)", schema: { type: 'string' } } },
      content: { [type]: { schema: { type: 'string', format: 'binary' } } },
    },
  });
  const report = (summary: string, responses: JsonSchema) => ({
    get: { summary: `${summary} (office, reviewer, admin)`, security, parameters: queryParameters(reportQuery), responses: { ...responses, ...problems(401, 403, 422, 429, 503) } },
  });
  return {
    '/api/reports/summary': report('counts by state, light, part and lead unit; completion; overdue tasks; supervision activity', ok('Summary', 'the summary')),
    '/api/reports/units': {
      get: {
        summary: 'unit assessment (考核) as of a day or over a quarter or year (?period=2023Q3|2023: only its facts count); a unit gets its own row with its reasons (office, leader, reviewer, admin, unit)',
        security,
        parameters: queryParameters(unitsReportQuery),
        responses: { ...ok('Assessment', 'scores, highest first'), ...problems(401, 403, 422, 429, 503) },
      },
    },
    '/api/reports/units.xlsx': {
      get: {
        summary: 'the same assessment as an Excel workbook (sheet 考核, and 明细 with every reason asked for)',
        security,
        parameters: queryParameters(unitsReportQuery),
        responses: { '200': { description: 'attachment 考核-<period or date>.xlsx', content: { [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } } }, ...problems(401, 403, 422, 429, 503) },
      },
    },
    '/api/reports/circulars': {
      post: {
        summary: "issue the period's circular (印发通报): numbered 文号 (prefix〔year〕n号), registered with its content's SHA-256 in a hash chain, a notice to each unit it names (office)",
        security,
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: schemaOf(idempotencyKeyHeader, 'input'), description: 'the same key again returns the first issue (200); for another period 422' }],
        requestBody: { required: true, content: { 'application/json': { schema: schemaOf(issueCircularBody, 'input') } } },
        responses: {
          '201': { description: 'issued: { id, number, prefix, year, sequence, period, title, issuedAt, issuedBy, units, contentSha256, prevHash, hash }', content: { 'application/json': { schema: { type: 'object' } } } },
          '200': { description: 'issued already with this Idempotency-Key', content: { 'application/json': { schema: { type: 'object' } } } },
          ...problems(400, 401, 403, 415, 422, 429, 503),
        },
      },
      get: {
        summary: 'issued circulars, newest first, without their content (a unit: those naming it)',
        security,
        responses: { '200': { description: '{ items: [issued circular] }', content: { 'application/json': { schema: { type: 'object' } } } }, ...problems(401, 403, 429, 503) },
      },
    },
    '/api/reports/circulars/{id}': {
      get: {
        summary: 'one issued circular: JSON with its content, Markdown, printable HTML or Word (.docx) (a unit: only one naming it, else 404)',
        security,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }, ...queryParameters(issuedCircularQuery)],
        responses: {
          '200': {
            description: 'the issued circular',
            content: {
              'application/json': { schema: { type: 'object' } },
              'text/markdown; charset=utf-8': { schema: { type: 'string' } },
              'text/html; charset=utf-8': { schema: { type: 'string' } },
              'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { schema: { type: 'string', format: 'binary' } },
            },
          },
          ...problems(401, 404, 422, 429, 503),
        },
      },
    },
    '/api/watches': {
      get: {
        summary: "the caller's watch list (关注): watched tasks as TaskViews, the most recently watched first (a leader's or office person's account)",
        security,
        responses: { '200': { description: '{ items: [TaskView] }', content: { 'application/json': { schema: { type: 'object' } } } }, ...problems(401, 403, 429, 503) },
      },
    },
    '/api/tasks/{id}/watch': {
      put: {
        summary: 'watch a task (idempotent; at most 500 a person)',
        security,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', additionalProperties: false } } } },
        responses: { '200': { description: '{ taskId, watching: true }', content: { 'application/json': { schema: { type: 'object' } } } }, ...problems(401, 403, 404, 415, 422, 429, 503) },
      },
      delete: {
        summary: 'stop watching a task (idempotent)',
        security,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: '{ taskId, watching: false }', content: { 'application/json': { schema: { type: 'object' } } } }, ...problems(401, 403, 404, 429, 503) },
      },
    },
    '/api/reports/ledger.csv': report('the ledger (台账) as CSV with a BOM, for Excel and WPS', download('text/csv; charset=utf-8', 'one row per task')),
    '/api/reports/ledger.xlsx': report('the ledger (台账) as an Excel workbook', download(XLSX_TYPE, 'one row per task, lights coloured')),
    '/api/reports/circular': {
      get: {
        summary: 'a circular (通报) on a period (office, reviewer, admin)',
        security,
        parameters: queryParameters(circularQuery),
        responses: {
          '200': { description: 'the circular', content: { 'text/markdown; charset=utf-8': { schema: { type: 'string' } }, 'text/html; charset=utf-8': { schema: { type: 'string' } } } },
          ...problems(401, 403, 422, 429, 503),
        },
      },
    },
    '/api/notifications': {
      get: {
        summary: "notifications, newest first: a unit its own, the office, reviewers and admins any unit's",
        security,
        parameters: queryParameters(notificationListQuery),
        responses: { ...ok('NotificationList', 'a page of notifications'), ...problems(401, 403, 422, 429, 503) },
      },
    },
    '/api/units': {
      get: { summary: 'the unit registry: every unit with its kind, aliases and (a collective’s) members (any signed-in caller)', security, responses: { ...ok('UnitList', 'every unit'), ...problems(401, 422, 429, 503) } },
      post: {
        summary: 'add a unit, with its aliases and members, as one audited change (admin)',
        security,
        requestBody: { required: true, content: { 'application/json': { schema: ref('UnitAdd') } } },
        responses: { '201': { description: 'the unit as stored', content: { 'application/json': { schema: ref('Unit') } } }, ...problems(400, 401, 403, 409, 413, 415, 422, 429, 503) },
      },
    },
    '/api/plans/{id}/tasks': {
      post: {
        summary: 'add a task to a plan (领导交办, 会议议定事项) with its reason: one audited creation, numbered after the last task unless `number` is given (office, admin)',
        security,
        parameters: [planId, idempotencyKey],
        requestBody: { required: true, content: { 'application/json': { schema: ref('NewTask') } } },
        responses: { '201': { description: 'the task created; Location names it', content: { 'application/json': { schema: ref('Amendment') } } }, ...problems(400, 401, 403, 404, 409, 413, 415, 422, 429, 503) },
      },
    },
    '/api/plans/{id}': {
      patch: {
        summary: 'set a plan inactive or active again: the plan selector defaults to the newest active plan (office, admin)',
        security,
        parameters: [planId],
        requestBody: { required: true, content: { 'application/json': { schema: ref('PlanActive') } } },
        responses: { '200': { description: 'the plan: id, title, active', content: { 'application/json': { schema: { type: 'object' } } } }, ...problems(400, 401, 403, 404, 413, 415, 422, 429, 503) },
      },
    },
    '/api/plans/{id}/revisions/preview': {
      post: {
        summary: "a revised document's difference from the plan as it stands (added, changed field by field, removed tasks), matched by number then by text; stores nothing (office, admin)",
        security,
        parameters: [planId],
        requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } }, 'application/json': { schema: { type: 'object', description: 'Plan JSON' } } } },
        responses: { ...ok('RevisionPreview', 'the difference and its basis'), ...problems(401, 403, 404, 413, 415, 422, 429, 503) },
      },
    },
    '/api/plans/{id}/revisions': {
      post: {
        summary: 'apply the chosen changes of a revised document in one transaction: new tasks, AMEND, CANCEL (撤销), each entry carrying the reason; all or nothing; 409 when the plan changed since the preview (office, admin)',
        security,
        parameters: [planId, idempotencyKey],
        requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, basis: { type: 'string' }, apply: { type: 'string', description: 'change ids, comma-separated' }, reason: { type: 'string' } } } }, 'application/json': { schema: ref('RevisionApply') } } },
        responses: { ...ok('Amendment', 'what was written'), ...problems(401, 403, 404, 409, 413, 415, 422, 429, 503) },
      },
    },
    '/api/units/{name}': {
      patch: {
        summary: "change a unit's kind, aliases or members as one audited change (admin)",
        security,
        parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' }, description: 'the unit’s name or one of its aliases' }],
        requestBody: { required: true, content: { 'application/json': { schema: ref('UnitEdit') } } },
        responses: { ...ok('Unit', 'the unit as stored'), ...problems(400, 401, 403, 404, 409, 413, 415, 422, 429, 503) },
      },
    },
    '/api/notifications/{id}/ack': {
      post: {
        summary: 'mark a notification read (only the unit it is for; again is a no-op)',
        security,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' }, description: 'notification id' }],
        requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', additionalProperties: false } } } },
        responses: { ...ok('Notification', 'the notification, acknowledgedAt set'), ...problems(401, 403, 404, 415, 422, 429, 503) },
      },
    },
    '/api/notifications/read-all': {
      post: {
        summary: "全部已读: mark the caller's unread notices read, of one task when taskId is given (units only)",
        security,
        requestBody: { required: false, content: { 'application/json': { schema: schemaOf(notificationReadAllBody) } } },
        responses: { ...ok('NotificationReadAll', 'how many were marked'), ...problems(401, 403, 415, 422, 429, 503) },
      },
    },
  };
}

/** Who gets notices by e-mail and the group robots, and what went out. */
function noticeChannelPaths(security: JsonSchema[]): Record<string, JsonSchema> {
  const unitParam = { name: 'unit', in: 'path', required: true, schema: { type: 'string' }, description: 'a unit of the registry (aliases accepted), not a collective' };
  const channelParam = { name: 'channel', in: 'path', required: true, schema: { type: 'string', enum: ['email', 'wecom', 'dingtalk'] } };
  const channelView = { content: { 'application/json': { schema: ref('NoticeChannel') } } };
  return {
    '/api/notice-channels': {
      get: {
        summary: "every unit's notice channels, robot URLs masked, secrets never shown (office, admin)",
        security,
        parameters: queryParameters(noticeChannelListQuery),
        responses: { ...ok('NoticeChannelList', 'channels by unit'), ...problems(401, 403, 422, 429, 503) },
      },
    },
    '/api/notice-channels/{unit}/{channel}': {
      put: {
        summary: "set a unit's mailbox, 企业微信 robot or 钉钉 robot (office, admin); a robot URL must be https and resolve to a public address",
        security,
        parameters: [unitParam, channelParam],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { oneOf: [schemaOf(emailChannelBody, 'input'), schemaOf(wecomChannelBody, 'input'), schemaOf(dingtalkChannelBody, 'input')] } } },
        },
        responses: { '200': { description: 'replaced', ...channelView }, '201': { description: 'created', ...channelView }, ...problems(401, 403, 415, 422, 429, 503) },
      },
      delete: {
        summary: "remove a unit's channel; what it still had to send is cancelled (office, admin)",
        security,
        parameters: [unitParam, channelParam],
        responses: { '204': { description: 'removed' }, ...problems(401, 403, 404, 422, 429, 503) },
      },
    },
    '/api/notice-people': {
      get: {
        summary: 'the accounts that can be mailed their unit’s notices, and whether they want it (office, admin)',
        security,
        parameters: queryParameters(noticeChannelListQuery),
        responses: { ...ok('NoticePeople', 'people by unit'), ...problems(401, 403, 422, 429, 503) },
      },
    },
    '/api/notice-people/{accountId}': {
      put: {
        summary: "turn a person's e-mail of their unit's notices on or off (office, admin)",
        security,
        parameters: [{ name: 'accountId', in: 'path', required: true, schema: { type: 'integer' } }],
        requestBody: { required: true, content: { 'application/json': { schema: schemaOf(noticePersonBody, 'input') } } },
        responses: { ...ok('NoticePerson', 'the person'), ...problems(401, 403, 404, 415, 422, 429, 503) },
      },
    },
    '/api/notice-deliveries': {
      get: {
        summary: 'the delivery log of e-mail and robots, newest first (office, reviewer, admin)',
        security,
        parameters: queryParameters(deliveryLogQuery),
        responses: { ...ok('DeliveryLog', 'a page of deliveries'), ...problems(401, 403, 422, 429, 503) },
      },
    },
  };
}

/** The accountability review: signed checkpoints, Merkle proofs, the time-travel diff, the access log. */
function accountabilityPaths(security: JsonSchema[]): Record<string, JsonSchema> {
  const readers = '(office, reviewer, admin)';
  return {
    '/api/audit/checkpoints': {
      get: {
        summary: `the signed checkpoints of the audit log, oldest first, page by page ${readers}`,
        security,
        parameters: queryParameters(checkpointListQuery),
        responses: { ...ok('Checkpoints', 'checkpoints by size'), ...problems(401, 403, 422, 429, 503) },
      },
    },
    '/api/audit/entries/{seq}/proof': {
      get: {
        summary: `RFC 9162 proof that an entry is in the log of a given size ${readers}; check it with \`duban audit prove\``,
        security,
        parameters: [{ name: 'seq', in: 'path', required: true, schema: { type: 'integer', minimum: 1 }, description: "the entry's seq" }, ...queryParameters(inclusionProofQuery)],
        responses: { ...ok('InclusionProof', 'the proof and the entry'), ...problems(401, 403, 422, 429, 503) },
      },
    },
    '/api/audit/consistency': {
      get: {
        summary: `RFC 9162 proof that the log of size \`to\` extends the one of size \`from\` ${readers}; check it with \`duban audit consistency\``,
        security,
        parameters: queryParameters(consistencyQuery),
        responses: { ...ok('ConsistencyProof', 'the proof'), ...problems(401, 403, 422, 429, 503) },
      },
    },
    '/api/audit/access-log': {
      get: {
        summary: 'who read what: requests by reviewers, the office and admins to /api/audit*, /api/replay*, /api/tasks* (reviewer, admin)',
        security,
        parameters: queryParameters(accessLogQuery),
        responses: { ...ok('AccessLog', 'records by id'), ...problems(401, 403, 422, 429, 503) },
      },
    },
    '/api/replay/diff': {
      get: {
        summary: `tasks whose state, light or deadline changed between two instants, replayed from the log ${readers}`,
        security,
        parameters: queryParameters(replayDiffQuery),
        responses: { ...ok('ReplayDiff', 'the changed tasks'), ...problems(401, 403, 422, 429, 503) },
      },
    },
  };
}

/** A plan's reporting cycles (信息报送): the settings, who reported per cycle, 报送情况表. */
function cyclePaths(security: JsonSchema[]): Record<string, JsonSchema> {
  const plan = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'plan id (GET /api/plans)' };
  const cycle = { name: 'cycle', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2]|Q[1-4])$' }, description: 'cycle key: 2023-06 (monthly) or 2023-Q3 (quarterly)' };
  const task = { name: 'task', in: 'path', required: true, schema: { type: 'string' }, description: 'the task: its number in the plan (5) or its id' };
  const taskQuery = { name: 'task', in: 'query', required: false, schema: { type: 'string' }, description: 'only this task (its number or id), by the schedule that judges it' };
  return {
    '/api/plans/{id}/cycles': {
      get: {
        summary: "a plan's reporting cycles: the settings, the running cycle, the closed cycles with how many parts reported (office, leaders, reviewers, admins)",
        security,
        parameters: [plan],
        responses: { ...ok('PlanCycles', 'the cycles'), ...problems(401, 403, 404, 422, 429, 503) },
      },
      put: {
        summary: 'set the cycles (office): monthly on day 1–28 or last (月末), quarterly on a day of the quarter’s first month or last (季末), or none; an audited SET_CYCLES entry; 409 when a part has reported in the running cycle; 422 for a day 29–31',
        security,
        parameters: [plan],
        requestBody: { required: true, content: { 'application/json': { schema: ref('PlanCyclesInput') } } },
        responses: { ...ok('PlanCycles', 'the cycles as set'), ...problems(400, 401, 403, 404, 409, 413, 415, 422, 429, 503) },
      },
    },
    '/api/plans/{id}/cycles/tasks/{task}': {
      put: {
        summary: 'give a task cycles of its own (office), overriding the plan’s for its parts: the same settings as the plan’s; an audited SET_CYCLES entry of the task’s schedule; 409 when its parts have reported in the cycle running for it; 404 for an unknown task',
        security,
        parameters: [plan, task],
        requestBody: { required: true, content: { 'application/json': { schema: ref('PlanCyclesInput') } } },
        responses: { ...ok('TaskCycles', 'the task’s cycles as set'), ...problems(400, 401, 403, 404, 409, 413, 415, 422, 429, 503) },
      },
      delete: {
        summary: 'remove a task’s own cycles (office): it follows the plan’s again; an audited CLEAR_CYCLES entry; 409 as PUT; 404 task-cycles-not-found when it has none',
        security,
        parameters: [plan, task],
        responses: { '204': { description: 'removed' }, ...problems(401, 403, 404, 409, 422, 429, 503) },
      },
    },
    '/api/plans/{id}/cycles/{cycle}/reports': {
      get: {
        summary: '报送情况: each part (task, unit) owing a report in the cycle, reported or not (a closed cycle as recorded when it fell due), across the plan’s schedule and the tasks’ own that have the key, each line naming its schedule',
        security,
        parameters: [plan, cycle, taskQuery],
        responses: { ...ok('CycleReports', 'the parts'), ...problems(401, 403, 404, 422, 429, 503) },
      },
    },
    '/api/plans/{id}/cycles/{cycle}/reports.xlsx': {
      get: {
        summary: '报送情况表 as an Excel workbook',
        security,
        parameters: [plan, cycle, taskQuery],
        responses: {
          '200': { description: 'the workbook', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } } },
          ...problems(401, 403, 404, 422, 429, 503),
        },
      },
    },
  };
}
