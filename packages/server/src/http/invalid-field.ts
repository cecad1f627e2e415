import { HttpProblem } from './http-problem.ts';

/** A 422 naming one field (`query.size`, `path.seq`…) that passed its schema but not a check against the data. */
export function invalidField(path: string, message: string): HttpProblem {
  const where = path.split('.')[0] ?? 'request';
  return new HttpProblem(422, 'invalid-request', '请求内容不符合要求', `the request's ${where} is invalid: ${path}: ${message}`, { errors: [{ path, message }] });
}
