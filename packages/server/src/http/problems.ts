import type { RateDecision } from '../rate-limit/rate-limiter.ts';
import type { AsOfError, AsOfRefusal } from '../time/as-of.ts';
import type { FieldIssue, ProblemKind } from './http-problem.ts';
import { HttpProblem } from './http-problem.ts';

/**
 * The catalogue: every kind of problem duban answers with, by name, with its status, code and the
 * Chinese title people read. A refusal anywhere is made by one of the constructors below.
 */
export const problemKinds = {
  malformedJson: { status: 400, code: 'malformed-json', title: '请求体不是有效的 JSON' },
  badRequest: { status: 400, code: 'bad-request', title: '请求无效' },
  unauthorized: { status: 401, code: 'unauthorized', title: '未认证或令牌无效' },
  forbidden: { status: 403, code: 'forbidden', title: '无权执行此操作' },
  forbiddenPart: { status: 403, code: 'forbidden', title: '只有承担该部分的单位可以签收、报送本单位的部分（牵头单位和其他单位不能代报）' },
  forbiddenPage: { status: 403, code: 'forbidden', title: '无权访问此页面' },
  forbiddenWatch: { status: 403, code: 'forbidden', title: '关注任务须以本人账号登录（领导或办公室工作人员）' },
  watchListFull: { status: 422, code: 'watch-list-full', title: '关注的任务已达上限，请先取消部分关注' },
  forbiddenNotifications: { status: 403, code: 'forbidden', title: '无权查看其他单位的通知' },
  forgedRequest: { status: 403, code: 'forged-request', title: '请求来源无效，请刷新页面后重试' },
  notFound: { status: 404, code: 'not-found', title: '资源不存在' },
  pageNotFound: { status: 404, code: 'not-found', title: '页面不存在' },
  taskNotFound: { status: 404, code: 'task-not-found', title: '任务不存在' },
  circularNotFound: { status: 404, code: 'circular-not-found', title: '通报不存在' },
  notificationNotFound: { status: 404, code: 'notification-not-found', title: '通知不存在' },
  unitNotFound: { status: 404, code: 'unit-not-found', title: '单位不存在' },
  unitConflict: { status: 409, code: 'unit-conflict', title: '单位名称或别名已存在' },
  invalidUnitChange: { status: 422, code: 'invalid-unit-change', title: '单位名录的修改不符合要求' },
  invalidNoticeChannel: { status: 422, code: 'invalid-notice-channel', title: '通知渠道设置不符合要求' },
  unknownNoticeUnit: { status: 422, code: 'unknown-unit', title: '单位不存在或不能单独接收通知' },
  noticeChannelNotFound: { status: 404, code: 'notice-channel-not-found', title: '该单位未设置此通知渠道' },
  accountNotFound: { status: 404, code: 'account-not-found', title: '账号不存在' },
  transitionNotAllowed: { status: 409, code: 'transition-not-allowed', title: '当前状态不允许此操作' },
  instanceConflict: { status: 409, code: 'instance-conflict', title: '任务已存在且内容不同' },
  preconditionFailed: { status: 412, code: 'precondition-failed', title: '任务已被他人更新，请刷新后重试' },
  bodyTooLarge: { status: 413, code: 'body-too-large', title: '请求体过大' },
  notJson: { status: 415, code: 'unsupported-media-type', title: '请求体须为 JSON' },
  notForm: { status: 415, code: 'unsupported-media-type', title: '表单格式不正确' },
  notMultipart: { status: 415, code: 'unsupported-media-type', title: '文件须以 multipart/form-data 上传' },
  unsupportedFile: { status: 415, code: 'unsupported-file', title: '文件类型不受支持或内容异常' },
  fileTooLarge: { status: 413, code: 'file-too-large', title: '文件过大' },
  tooManyFiles: { status: 413, code: 'too-many-files', title: '一次上传的文件过多' },
  uploadIncomplete: { status: 400, code: 'upload-incomplete', title: '上传未完成，请重新上传' },
  fileNotFound: { status: 404, code: 'file-not-found', title: '文件不存在' },
  invalidRequest: { status: 422, code: 'invalid-request', title: '请求内容不符合要求' },
  planExists: { status: 409, code: 'plan-exists', title: '计划编号已存在' },
  planFileRefused: { status: 422, code: 'plan-file-refused', title: '计划文件无法导入' },
  unknownUnits: { status: 422, code: 'unknown-units', title: '计划中有不在单位名录中的单位，请先对应到已有单位或新增为单位' },
  planNotFound: { status: 404, code: 'plan-not-found', title: '计划不存在' },
  cycleNotFound: { status: 404, code: 'cycle-not-found', title: '该计划未设置报送周期，或没有这一期' },
  taskCyclesNotFound: { status: 404, code: 'task-cycles-not-found', title: '该任务未单独设定报送周期' },
  cyclesChangeRefused: { status: 409, code: 'cycles-change-refused', title: '本期已有单位报送进展，报送周期不能修改，请在本期截止后再修改' },
  taskNumberTaken: { status: 409, code: 'task-number-taken', title: '本计划已有该序号的任务' },
  revisionStale: { status: 409, code: 'revision-stale', title: '预览之后计划已有变动，请重新上传修订稿并预览' },
  invalidDateRange: { status: 422, code: 'invalid-request', title: '日期范围不符合要求' },
  invalidPeriod: { status: 422, code: 'invalid-request', title: '通报期间不符合要求' },
  dateAfterToday: { status: 422, code: 'invalid-request', title: '日期不能晚于今天' },
  invalidTimeOfDay: { status: 422, code: 'invalid-request', title: '时刻不符合要求' },
  timeAfterNow: { status: 422, code: 'invalid-request', title: '时刻不能晚于现在' },
  unknownEvent: { status: 422, code: 'unknown-event', title: '请求内容不符合要求' },
  invalidPayload: { status: 422, code: 'invalid-payload', title: '请求内容不符合要求' },
  idempotencyKeyReused: { status: 422, code: 'idempotency-key-reused', title: '请求内容不符合要求' },
  rateLimited: { status: 429, code: 'rate-limited', title: '请求过于频繁，请稍后再试' },
  internal: { status: 500, code: 'internal', title: '服务器内部错误' },
  storeUnavailable: { status: 503, code: 'store-unavailable', title: '服务暂时不可用' },
  heavyReadsBusy: { status: 503, code: 'heavy-reads-busy', title: '回放、校验和历史报表查询繁忙，请稍后再试' },
} as const satisfies Record<string, ProblemKind>;

export type ProblemName = keyof typeof problemKinds;

/** Seconds a client should wait before retrying when the store is unavailable. */
const STORE_RETRY_AFTER_SECONDS = 5;

/** A problem of a named kind. */
export function problem(
  name: ProblemName,
  detail: string,
  options: { readonly extensions?: Readonly<Record<string, unknown>>; readonly headers?: Readonly<Record<string, string>> } = {},
): HttpProblem {
  return new HttpProblem(problemKinds[name], detail, options.extensions, options.headers);
}

/** 401, with the challenge a client needs. */
export function unauthorized(detail: string): HttpProblem {
  return problem('unauthorized', detail, { headers: { 'WWW-Authenticate': 'Bearer realm="duban"' } });
}

/** The body of a task 404: the same whether the task does not exist or the caller may not see it. */
export const TASK_NOT_FOUND = problem('taskNotFound', 'no task with this id is visible to the caller (找不到该任务，或无权查看)');

/** A notice channel's setting refused: 422 with the field and the reason in Chinese, or for a unit that cannot receive notices. */
export function channelSettingRefused(refused: { readonly field: string; readonly zh: string; readonly kind: 'invalid' | 'unknown-unit' }): HttpProblem {
  return problem(refused.kind === 'unknown-unit' ? 'unknownNoticeUnit' : 'invalidNoticeChannel', `${refused.field}: ${refused.zh}`, {
    extensions: { errors: [{ path: refused.field, message: refused.zh }] },
  });
}

/** The web's 404, for a path of no page (and for a task the viewer may not see). */
export const PAGE_NOT_FOUND = problem('pageNotFound', 'no page at this address is visible to the viewer');

/** 422 naming every field of `where` (`query`, `body`, `header.If-Match`…) that failed. */
export function invalidFields(where: string, errors: readonly FieldIssue[], name: ProblemName = 'invalidRequest'): HttpProblem {
  return problem(name, `the request's ${where} is invalid: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, { extensions: { errors } });
}

/** A 422 naming one field (`query.size`, `path.seq`…) that passed its schema but not a check against the data. */
export function invalidField(path: string, message: string): HttpProblem {
  return invalidFields(path.split('.')[0] ?? 'request', [{ path, message }]);
}

/**
 * A time input (`asOf`, a period, a moment) that cannot be used, as a 422 naming its query field:
 * for the API in English under the common title, for a page in Chinese under its own.
 */
export function invalidTime(error: AsOfError, audience: 'api' | 'page'): HttpProblem {
  const path = `query.${error.field}`;
  if (audience === 'api') return invalidFields('query', [{ path, message: error.message }]);
  return problem(pageTimeProblems[error.refusal], `${path}: ${error.message}`, { extensions: { errors: [{ path, message: error.zh }] } });
}

const pageTimeProblems: Readonly<Record<AsOfRefusal, ProblemName>> = {
  malformed: 'invalidRequest',
  future: 'dateAfterToday',
  period: 'invalidPeriod',
  moment: 'invalidTimeOfDay',
  'future-moment': 'timeAfterNow',
};

/**
 * A refused change to the unit registry: 404 for the unit the path names, 409 for a name or alias
 * taken, else 422; `errors` names the body field with the Chinese message.
 */
export function unitRefused(refusal: { readonly refusal: 'duplicate' | 'unknown' | 'invalid'; readonly field: string; readonly message: string }, field: string): HttpProblem {
  const name: ProblemName = refusal.refusal === 'duplicate' ? 'unitConflict' : refusal.refusal === 'unknown' && field === 'name' ? 'unitNotFound' : 'invalidUnitChange';
  const path = field === 'name' && name === 'unitNotFound' ? 'path.name' : `body.${field}`;
  return problem(name, `${path}: ${refusal.message}`, { extensions: { errors: [{ path, message: refusal.message }] } });
}

/** 429 with Retry-After, for an API token or a page viewer past the limit. */
export function rateLimited(decision: Extract<RateDecision, { allowed: false }>, what: string): HttpProblem {
  const seconds = decision.retryAfterSeconds;
  return problem('rateLimited', `more than ${decision.limit} requests this minute ${what}; retry in ${seconds} s`, {
    extensions: { retryAfter: seconds },
    headers: { 'Retry-After': String(seconds) },
  });
}

/** 503 with Retry-After: nothing was written. */
export function storeUnavailable(detail: string): HttpProblem {
  return problem('storeUnavailable', detail, { headers: { 'Retry-After': String(STORE_RETRY_AFTER_SECONDS) } });
}

/** 503 with Retry-After: too many replays, verifications and past-day reports running and waiting; nothing was read. */
export function heavyReadsBusy(limits: { readonly running: number; readonly queued: number }, retryAfterSeconds: number): HttpProblem {
  return problem('heavyReadsBusy', `${limits.running} heavy reads (replays, verifications, reports as of a past day) are running and ${limits.queued} waiting; retry in ${retryAfterSeconds} s`, {
    extensions: { retryAfter: retryAfterSeconds },
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}

/** The 500 every unexpected failure gets: generic, the cause logged with the request id. */
export function internalError(): HttpProblem {
  return problem('internal', 'an unexpected error occurred; it has been logged with the request id');
}
