import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { toProblem } from '../http/problem-details.ts';
import { HttpProblem } from '../http/http-problem.ts';
import { PAGE_NOT_FOUND } from '../http/problems.ts';
import { requestIdOf } from '../http/request-id.ts';
import { errorPage } from './pages/error-page.ts';
import { viewerOf } from './session/web-viewer.ts';


/**
 * The web pages' error middleware: every refusal and failure as a Chinese HTML page with the
 * problem's status (5xx logged with the request id, never shown).
 */
export function webErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const problem = toProblem(error);
    // A 5xx decided on purpose (too busy) is a warning; anything else failed.
    if (error instanceof HttpProblem && problem.status >= 500) logger.warn({ reqId: requestIdOf(res), status: problem.status, code: problem.code }, 'page refused');
    else if (problem.status >= 500) logger.error({ reqId: requestIdOf(res), err: error, status: problem.status }, 'page failed');
    for (const [name, value] of Object.entries(problem.headers)) if (name !== 'WWW-Authenticate') res.setHeader(name, value);
    res.status(problem.status).type('html').send(errorPage(problem, viewerOf(res)).text);
  };
}

/** For a browser asking for a page no route serves (outside /api): the Chinese 404 page. */
export function pageNotFound(): RequestHandler {
  return (req, _res, next) => {
    if (req.path === '/api' || req.path.startsWith('/api/') || req.accepts(['json', 'html']) !== 'html') {
      next();
      return;
    }
    throw PAGE_NOT_FOUND;
  };
}
