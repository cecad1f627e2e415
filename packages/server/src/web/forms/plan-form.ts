import type { Request } from 'express';
import { HttpProblem } from '../../http/http-problem.ts';
import type { PlanSource } from '../../plans/plan-importer.ts';
import { receivePlanSource } from '../../plans/receive-plan-source.ts';
import { checkCsrfField } from '../session/csrf.ts';

/** A plan page's multipart post, read: its text fields and the plan file, or why it was refused. */
export type PlanForm =
  | { readonly refused: { readonly status: number; readonly message: string } }
  | { readonly refused?: undefined; readonly fields: Readonly<Record<string, string>>; readonly source: PlanSource | undefined };

/**
 * Reads the post of the 导入计划 and 修订计划 pages: the anti-forgery token checked, the file taken from
 * the upload or, on the second step (`step=<postBackStep>`), from the `source` field the page posted
 * back (base64, so a text field may hold a third more than a file). A client error reading the body
 * comes back as `refused`, with the Chinese message to show beside the file field.
 */
export async function receivePlanForm(req: Request, maxBytes: number, csrf: string, postBackStep: string): Promise<PlanForm> {
  let received;
  try {
    received = await receivePlanSource(req, maxBytes, Math.ceil((maxBytes * 4) / 3) + 1024);
  } catch (error) {
    if (!(error instanceof HttpProblem) || error.status >= 500) throw error;
    return { refused: { status: error.status, message: firstMessage(error) } };
  }
  checkCsrfField(received.fields, csrf);
  const fields = Object.fromEntries(Object.entries(received.fields).map(([name, value]) => [name, typeof value === 'string' ? value : '']));
  const postedBack = fields['step'] === postBackStep && (fields['source'] ?? '') !== '';
  const source = postedBack ? { bytes: Buffer.from(fields['source']!, 'base64'), fileName: fields['sourceName'] ?? 'plan' } : received.source;
  return { fields, source: source === undefined || source.fileName === '' ? undefined : source };
}

/** The first field message of a refusal (e.g. 文件过大), else its title. */
function firstMessage(error: HttpProblem): string {
  const errors = error.extensions['errors'];
  const first = Array.isArray(errors) ? (errors[0] as { message?: unknown } | undefined)?.message : undefined;
  return typeof first === 'string' ? first : error.title;
}
