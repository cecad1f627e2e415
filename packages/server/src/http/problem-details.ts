import {
  EngineError,
  Forbidden,
  IdempotencyKeyReused,
  InstanceConflict,
  InstanceNotFound,
  InvalidPayload,
  StoreUnavailable,
  TransitionNotAllowed,
  UnknownEvent,
  VersionConflict,
} from '@duban/engine';
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Logger } from 'pino';
import { HttpProblem, problemType } from './http-problem.ts';
import { requestIdOf } from './request-id.ts';

/** Seconds a client should wait before retrying when the store is unavailable. */
const STORE_RETRY_AFTER_SECONDS = 5;

/** The body of a task 404: the same whether the task does not exist or the caller may not see it. */
export const TASK_NOT_FOUND = new HttpProblem(404, 'task-not-found', '任务不存在', 'no task with this id is visible to the caller (找不到该任务，或无权查看)');

/**
 * The one error middleware: maps typed refusals (engine errors, HTTP problems, body-parser errors)
 * to RFC 9457 `application/problem+json`. Anything else is a 500 with a generic body, logged with
 * the request id; a stack trace never reaches a client.
 */
export function problemDetails(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const problem = toProblem(error);
    if (problem.status >= 500) {
      logger.error({ reqId: requestIdOf(res), err: error, status: problem.status }, 'request failed');
    }
    writeProblem(req, res, problem);
  };
}

/** Writes a problem as `application/problem+json`. */
export function writeProblem(req: Request, res: Response, problem: HttpProblem): void {
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  const body: Record<string, unknown> = {
    type: problemType(problem.code),
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
  };
  // A task 404 names no instance, so it is byte-identical for unknown and invisible tasks.
  if (problem.code !== TASK_NOT_FOUND.code) body['instance'] = req.originalUrl.split('?')[0];
  Object.assign(body, problem.extensions);
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(body));
}

/** The problem an error is answered with (also for the web pages, which show it as HTML). Pure. */
export function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof EngineError) return fromEngine(error);
  const bodyProblem = fromBodyParser(error);
  if (bodyProblem !== undefined) return bodyProblem;
  if (isDriverUnavailable(error)) return unavailable('the database is busy or unreachable; retry later');
  return new HttpProblem(500, 'internal', '服务器内部错误', 'an unexpected error occurred; it has been logged with the request id');
}

function fromEngine(error: EngineError): HttpProblem {
  if (error instanceof InstanceNotFound) return TASK_NOT_FOUND;
  if (error instanceof Forbidden) {
    return new HttpProblem(403, 'forbidden', '无权执行此操作', `role ${error.role} may not send ${error.eventType} to this task`, { eventType: error.eventType });
  }
  if (error instanceof UnknownEvent) {
    return new HttpProblem(422, 'unknown-event', '请求内容不符合要求', `unknown event type ${JSON.stringify(error.eventType)}`, {
      errors: [{ path: 'type', message: `unknown event type; known: ${error.known.join(', ')}` }],
    });
  }
  if (error instanceof InvalidPayload) {
    return new HttpProblem(422, 'invalid-payload', '请求内容不符合要求', `the ${error.eventType} payload fails its schema`, {
      errors: error.issues.map((i) => ({ path: i.path, message: i.message })),
    });
  }
  if (error instanceof TransitionNotAllowed) {
    return new HttpProblem(409, 'transition-not-allowed', '当前状态不允许此操作', `${error.eventType} is not allowed in state ${error.state}`, {
      state: error.state,
      allowedEvents: [...error.allowedEvents],
    });
  }
  if (error instanceof VersionConflict) {
    const etag = `"${error.actual}"`;
    return new HttpProblem(412, 'precondition-failed', '任务已被他人更新，请刷新后重试', `If-Match "${error.expected}" is stale: the task is at version ${error.actual}`, {
      etag,
      currentVersion: error.actual,
    }, { ETag: etag });
  }
  if (error instanceof IdempotencyKeyReused) {
    return new HttpProblem(422, 'idempotency-key-reused', '请求内容不符合要求', 'this Idempotency-Key was already used with a different request', {
      errors: [{ path: 'Idempotency-Key', message: 'already used with a different method, path or body' }],
    });
  }
  if (error instanceof InstanceConflict) {
    return new HttpProblem(409, 'instance-conflict', '任务已存在且内容不同', error.message);
  }
  if (error instanceof StoreUnavailable) return unavailable('the database is unavailable right now; nothing was written');
  return new HttpProblem(500, 'internal', '服务器内部错误', 'an unexpected error occurred; it has been logged with the request id');
}

function unavailable(detail: string): HttpProblem {
  return new HttpProblem(503, 'store-unavailable', '服务暂时不可用', detail, {}, { 'Retry-After': String(STORE_RETRY_AFTER_SECONDS) });
}

/** body-parser marks its errors with `type` and a 4xx `status`. */
function fromBodyParser(error: unknown): HttpProblem | undefined {
  const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number') return undefined;
  switch (type) {
    case 'entity.parse.failed':
      return new HttpProblem(400, 'malformed-json', '请求体不是有效的 JSON', 'the request body is not well-formed JSON (a JSON object is expected)');
    case 'entity.too.large':
      return new HttpProblem(413, 'body-too-large', '请求体过大', 'the request body exceeds 64 KiB');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem(415, 'unsupported-media-type', '请求体须为 JSON', 'the request body must be UTF-8 JSON without content encoding');
    default:
      if (status >= 400 && status < 500) return new HttpProblem(400, 'bad-request', '请求无效', 'the request body could not be read');
      return undefined;
  }
}

function isDriverUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '53300', '08006', '08001'].includes(code);
}
