import { HttpProblem } from '../http/http-problem.ts';

/** The opaque cursor after a task: base64url of its id. Pure. */
export function encodeTaskCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

/** The task id a cursor points after; a cursor that is not one of ours is a 422. Pure. */
export function decodeTaskCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (id.length === 0 || encodeTaskCursor(id) !== cursor) {
    throw new HttpProblem(422, 'invalid-request', '请求内容不符合要求', 'the cursor is not one this server issued', {
      errors: [{ path: 'query.cursor', message: 'must be a nextCursor returned by this endpoint' }],
    });
  }
  return id;
}
