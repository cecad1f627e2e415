import type { Json } from '@duban/engine';
import { z } from 'zod';
import { validateInput } from '../../http/validate-input.ts';
import type { Principal } from '../../auth/principal.ts';
import type { SendResult } from '@duban/engine';
import type { EventSender } from '../../tasks/send-event.ts';
import { KEY_FIELD, VERSION_FIELD } from './event-form-view.ts';

/** The two fields every event form carries beside its payload: the task version it was made for and its idempotency key. */
const formEventFields = z.strictObject({
  [VERSION_FIELD]: z.string().regex(/^\d{1,9}$/, 'must be the task version the form was made for').transform(Number),
  [KEY_FIELD]: z.string().regex(/^[A-Za-z0-9_.-]{16,300}$/, 'must be the key the form was made with').optional(),
});

/** The version and key an event form carries, or the 422 of `validateInput` naming `form._version` / `form._key`. */
export type FormEventFields = { version: number; key: string | undefined };

export function formEventFieldsOf(form: Record<string, unknown>): FormEventFields {
  const fields = validateInput(formEventFields, { [VERSION_FIELD]: form[VERSION_FIELD], [KEY_FIELD]: form[KEY_FIELD] }, 'form');
  return { version: fields[VERSION_FIELD], key: fields[KEY_FIELD] };
}

/**
 * An event form sent through the one event sender, as every page's form is: the form's `_version` is
 * the If-Match, its `_key` the idempotency key (a form sent twice — a double click, a resent page — is
 * one event: the second gets the first's answer). `sameAs` is what the key is bound to when it is not
 * the payload itself (files sent again are new uploads of the same bytes: the form is the same by
 * their hashes).
 */
export function sendFormEvent(
  events: EventSender,
  request: { taskId: string; type: string; payload: Record<string, unknown>; principal: Principal; fields: FormEventFields; path: string; sameAs?: Json },
): Promise<SendResult> {
  const { key, version } = request.fields;
  return events.send({
    taskId: request.taskId,
    type: request.type,
    payload: request.payload,
    principal: request.principal,
    expectedVersion: version,
    idempotency: key === undefined ? undefined : { key: `form:${key}`, method: 'POST', path: request.path, body: request.sameAs ?? (request.payload as Json) },
  });
}
