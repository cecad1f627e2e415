import type { z } from 'zod';
import { invalidFields } from './problems.ts';

/**
 * Parses a request part (query, body, a header) with its schema; on failure throws a 422 whose
 * `errors` name each offending field as `<where>.<path>`.
 */
export function validateInput<S extends z.ZodType>(schema: S, value: unknown, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.flatMap((issue) => {
    const path = [where, ...issue.path.map(String)];
    // An unknown field is named by its own path, one error each.
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'unknown field' }));
    return [{ path: path.join('.'), message: issue.message }];
  });
  throw invalidFields(where, errors);
}
