import type { FieldIssue } from './http-problem.ts';

/** Deeper than any request duban takes (an event's payload is three levels deep at most). */
export const MAX_JSON_DEPTH = 32;

/** In a `u` regex a surrogate pair is one code point, so this matches only a surrogate without its pair. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * The first reason a parsed JSON body cannot be taken as it is, or undefined: nested deeper than
 * MAX_JSON_DEPTH (so nothing after recurses without bound); a key `__proto__` (which JavaScript
 * objects drop or treat specially, so the stored payload would differ from the one sent); a string
 * or key with an unpaired surrogate (not I-JSON, RFC 7493, so the log's canonical JSON could not hold
 * it). Walks without recursion. Pure.
 */
export function jsonShapeIssue(body: unknown): FieldIssue | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) return { path, message: 'text contains an unpaired UTF-16 surrogate (not valid Unicode)' };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) return { path, message: `nested deeper than ${MAX_JSON_DEPTH} levels` };
    for (const key of Object.keys(value)) {
      const at = path === '' ? key : `${path}.${key}`;
      if (key === '__proto__') return { path: at, message: 'the key __proto__ is not accepted' };
      if (LONE_SURROGATE.test(key)) return { path: at, message: 'a key contains an unpaired UTF-16 surrogate (not valid Unicode)' };
      pending.push({ value: (value as Record<string, unknown>)[key], path: at, depth: depth + 1 });
    }
  }
  return undefined;
}
