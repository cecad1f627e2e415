import type { z } from 'zod';
import { validateInput } from '../../http/validate-input.ts';
import { AsOfError } from '../../time/as-of.ts';
import { chineseMessage } from './field-errors.ts';

/** A page's query errors, by the name of the field of its GET form, in Chinese. */
export type QueryErrors = Record<string, string>;

/** A page's query as its GET form sent it: the fields that passed, and the message of each that did not. */
export interface PageQuery<T> {
  readonly query: T;
  readonly errors: QueryErrors;
}

/**
 * Reads a page's query the way its filter form is shown again: a field that fails its schema is left
 * out (as if not given) and named in `errors` with its Chinese message, so the page renders with the
 * form filled and the message beside the field (status 422, as a refused form). A parameter no form of
 * the page has is refused as before (the 422 error page): nobody typed it. Pure apart from that throw.
 */
export function pageQuery<S extends z.ZodObject>(schema: S, raw: unknown): PageQuery<z.output<S>> {
  const given = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const shape = schema.shape as Record<string, z.ZodType>;
  if (Object.keys(given).some((key) => !Object.hasOwn(shape, key))) validateInput(schema, given, 'query');
  const query: Record<string, unknown> = {};
  const errors: QueryErrors = {};
  for (const [name, field] of Object.entries(shape)) {
    const parsed = field.safeParse(given[name]);
    if (parsed.success) {
      if (parsed.data !== undefined) query[name] = parsed.data;
    } else {
      errors[name] = chineseMessage(parsed.error.issues[0]?.message ?? '');
    }
  }
  return { query: query as z.output<S>, errors };
}

/**
 * Runs a time check of a page's query (as-of.ts); its refusal becomes the Chinese message beside its
 * field in `errors`, and the page goes on with `fallback` (a day it can show). Other errors are thrown.
 */
export function checkTime<T>(errors: QueryErrors, check: () => T, fallback: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof AsOfError)) throw error;
    errors[error.field] ??= error.zh;
    return fallback();
  }
}

/** The status of a page answering its query: 422 when a field was refused, else 200. Pure. */
export function queryStatus(errors: QueryErrors): number {
  return Object.keys(errors).length === 0 ? 200 : 422;
}

/** What was typed in a field of the query, to show it again in the form (a single text value only). Pure. */
export function typedValue(raw: unknown, name: string): string | undefined {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' && value !== '' ? value.slice(0, 40) : undefined;
}
