import { z } from 'zod';
import { validateInput } from './validate-input.ts';

/** `If-Match`: one strong ETag `"<version>"`, or `*`. */
export const ifMatchHeader = z.string().regex(/^(\*|"\d{1,9}")$/, 'must be "<version>" as sent in ETag, or *');

/** The ETag of a task version: `"<version>"`. Pure. */
export function taskEtag(version: number): string {
  return `"${version}"`;
}

/**
 * The task version an `If-Match` header asks for: undefined when absent or `*` (any version); a 422
 * naming the header when it is not one ETag as sent. Pure.
 */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined) return undefined;
  const value = validateInput(ifMatchHeader, ifMatch.trim(), 'header.If-Match');
  return value === '*' ? undefined : Number(value.slice(1, -1));
}
