import { problem } from '../http/problems.ts';

/** The opaque cursor after a task: base64url of its id. Pure. */
export function encodeTaskCursor(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

/** The task id a cursor points after; a cursor that is not one of ours is a 422. Pure. */
export function decodeTaskCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (id.length === 0 || encodeTaskCursor(id) !== cursor) throw cursorNotOurs();
  return id;
}

/** The 422 for a cursor this server did not issue. */
export function cursorNotOurs() {
  return problem('invalidRequest', 'the cursor is not one this server issued', {
    extensions: { errors: [{ path: 'query.cursor', message: 'must be a nextCursor returned by this endpoint' }] },
  });
}
