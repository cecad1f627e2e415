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
import { PlanInputError } from '@duban/plan';
import { partEvents } from '@duban/reform-task';
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Logger } from 'pino';
import { HttpProblem, problemType } from './http-problem.ts';
import { internalError, invalidFields, problem, storeUnavailable, TASK_NOT_FOUND } from './problems.ts';
import { requestIdOf } from './request-id.ts';
import { PlanImportRefused } from '../plans/plan-import-refused.ts';
import { CycleChangeRefused, NoTaskCycles } from '../cycles/reporting-cycles.ts';

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
    // A 5xx decided on purpose (too busy) is a warning; anything else failed.
    if (error instanceof HttpProblem && problem.status >= 500) logger.warn({ reqId: requestIdOf(res), status: problem.status, code: problem.code }, 'request refused');
    else if (problem.status >= 500) logger.error({ reqId: requestIdOf(res), err: error, status: problem.status }, 'request failed');
    writeProblem(req, res, problem);
  };
}

/** Writes a problem as `application/problem+json`. */
export function writeProblem(req: Request, res: Response, problem: HttpProblem): void {
  for (const [name, value] of Object.entries(problem.headers)) res.setHeader(name, value);
  // A task 404 names no instance, so it is byte-identical for unknown and invisible tasks.
  const instance = problem.code === TASK_NOT_FOUND.code ? undefined : req.originalUrl.split('?')[0];
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problemBody(problem, instance)));
}

/** A problem's RFC 9457 fields (and `instance` when given): a response's body, or one task's outcome in a bulk answer. Pure. */
export function problemBody(problem: HttpProblem, instance?: string): Record<string, unknown> {
  const body: Record<string, unknown> = { type: problemType(problem.code), title: problem.title, status: problem.status, detail: problem.detail };
  if (instance !== undefined) body['instance'] = instance;
  return Object.assign(body, problem.extensions);
}

/** The problem an error is answered with (also for the web pages, which show it as HTML). Pure. */
export function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof EngineError) return fromEngine(error);
  if (error instanceof PlanInputError) return fromPlanFile(error);
  if (error instanceof PlanImportRefused) return fromPlanImport(error);
  if (error instanceof NoTaskCycles) return problem('taskCyclesNotFound', error.message);
  if (error instanceof CycleChangeRefused) {
    return problem('cyclesChangeRefused', error.message, { extensions: { cycle: error.cycle, reports: error.reports, ...(error.taskId === null ? {} : { taskId: error.taskId }) } });
  }
  const bodyProblem = fromBodyParser(error);
  if (bodyProblem !== undefined) return bodyProblem;
  if (isDriverUnavailable(error)) return storeUnavailable('the database is busy or unreachable; retry later');
  return internalError();
}

function fromEngine(error: EngineError): HttpProblem {
  if (error instanceof InstanceNotFound) return TASK_NOT_FOUND;
  if (error instanceof Forbidden) {
    // A part is its own unit's: say so, rather than the bare 无权, to a lead or another unit that tried.
    if ((partEvents as readonly string[]).includes(error.eventType)) {
      return problem('forbiddenPart', `${error.eventType} acts on the sender's own part: only a unit with a part of this task may send it`, { extensions: { eventType: error.eventType } });
    }
    return problem('forbidden', `role ${error.role} may not send ${error.eventType} to this task`, { extensions: { eventType: error.eventType } });
  }
  if (error instanceof UnknownEvent) {
    return problem('unknownEvent', `unknown event type ${JSON.stringify(error.eventType)}`, {
      extensions: { errors: [{ path: 'type', message: `unknown event type; known: ${error.known.join(', ')}` }] },
    });
  }
  if (error instanceof InvalidPayload) {
    return problem('invalidPayload', `the ${error.eventType} payload fails its schema`, { extensions: { errors: error.issues.map((i) => ({ path: i.path, message: i.message })) } });
  }
  if (error instanceof TransitionNotAllowed) {
    return problem('transitionNotAllowed', `${error.eventType} is not allowed in state ${error.state}`, {
      extensions: { state: error.state, allowedEvents: [...error.allowedEvents] },
    });
  }
  if (error instanceof VersionConflict) {
    const etag = `"${error.actual}"`;
    return problem('preconditionFailed', `If-Match "${error.expected}" is stale: the task is at version ${error.actual}`, {
      extensions: { etag, currentVersion: error.actual },
      headers: { ETag: etag },
    });
  }
  if (error instanceof IdempotencyKeyReused) {
    return problem('idempotencyKeyReused', 'this Idempotency-Key was already used with a different request', {
      extensions: { errors: [{ path: 'Idempotency-Key', message: 'already used with a different method, path or body' }] },
    });
  }
  if (error instanceof InstanceConflict) return problem('instanceConflict', error.message);
  if (error instanceof StoreUnavailable) return storeUnavailable('the database is unavailable right now; nothing was written');
  return internalError();
}

/** A plan file refused by the plan reader: its message names the file and the reason (Chinese / English). */
function fromPlanFile(error: PlanInputError): HttpProblem {
  const chinese = error.message.split(' / ')[0] ?? error.message;
  const extensions = { extensions: { errors: [{ path: 'file', message: chinese }] } };
  switch (error.code) {
    case 'too-large':
      return problem('fileTooLarge', error.message, extensions);
    case 'zip-bomb':
    case 'macro':
    case 'wrong-extension':
    case 'save-as':
    case 'unsupported':
    case 'binary':
      return problem('unsupportedFile', error.message, extensions);
    default:
      return problem('planFileRefused', error.message, extensions);
  }
}

function fromPlanImport(error: PlanImportRefused): HttpProblem {
  const errors = error.issues.map((issue) => ({ ...issue }));
  switch (error.reason) {
    case 'plan-exists':
      return problem('planExists', error.message, { extensions: { errors } });
    case 'unknown-units':
      return problem('unknownUnits', error.message, {
        extensions: { errors, unknownUnits: error.issues.map((issue) => ({ name: issue.path.slice('unknownUnits.'.length), lines: issue.lines ?? [] })) },
      });
    case 'invalid':
      return invalidFields('body', errors);
    case 'no-plan':
      return problem('planNotFound', error.message, { extensions: { errors } });
    case 'number-taken':
      return problem('taskNumberTaken', error.message, { extensions: { errors } });
    case 'stale-revision':
      return problem('revisionStale', error.message, { extensions: { errors } });
  }
}

/** body-parser marks its errors with `type` and a 4xx `status`; a corrupt gzip or deflate body fails in zlib (`Z_…`). */
function fromBodyParser(error: unknown): HttpProblem | undefined {
  const { type, status, code } = (error ?? {}) as { type?: unknown; status?: unknown; code?: unknown };
  if (typeof code === 'string' && code.startsWith('Z_')) return problem('badRequest', 'the request body’s gzip or deflate encoding is corrupt');
  if (typeof type !== 'string' || typeof status !== 'number') return undefined;
  switch (type) {
    case 'entity.parse.failed':
      return problem('malformedJson', 'the request body is not well-formed JSON (a JSON object is expected)');
    case 'entity.too.large':
      return problem('bodyTooLarge', 'the request body exceeds 64 KiB');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problem('notJson', 'the request body must be UTF-8 JSON without content encoding');
    default:
      if (status >= 400 && status < 500) return problem('badRequest', 'the request body could not be read');
      return undefined;
  }
}

function isDriverUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN|READONLY)/.test(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '53300', '08006', '08001'].includes(code);
}
