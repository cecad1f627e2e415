import { invalidTime } from '../http/problems.ts';
import { AsOfError } from '../time/as-of.ts';

/** Runs a time check of a page's query (as-of.ts), turning its refusal into the page's 422, in Chinese beside the field. */
export function pageTime<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof AsOfError) throw invalidTime(error, 'page');
    throw error;
  }
}
