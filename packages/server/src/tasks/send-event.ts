import type { Engine, Json, SendOptions, SendResult } from '@duban/engine';
import type { Principal } from '../auth/principal.ts';
import { actorOf } from '../auth/principal.ts';
import { problem } from '../http/problems.ts';
import { requestFingerprint } from '../http/request-fingerprint.ts';
import type { Clock } from '../time/clock.ts';
import { SingleFlight } from './single-flight.ts';

/** One event for one task, as the API's JSON or a page's form asks for it. */
export interface EventRequest {
  readonly taskId: string;
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly principal: Principal;
  /** Refuse with 412 (VersionConflict) unless the task is at this version (If-Match, a form's version). */
  readonly expectedVersion?: number | undefined;
  /**
   * The caller's key for this request (Idempotency-Key, a form's key) and what it is bound to (method
   * and path): a retry with the same key and the same request gets the first answer, another request
   * with it a 422.
   */
  readonly idempotency?: { readonly key: string; readonly method: string; readonly path: string; readonly body: Json } | undefined;
}

/**
 * The one way an event reaches the engine, from the API and from the pages: the caller's principal
 * as actor, the server's clock, visibility checked inside the send (an unknown task and one the caller
 * may not see are the same 404), If-Match, and idempotency keys bound to the caller's token (two
 * tokens may use the same key), with concurrent retries joined onto one run. Does IO.
 */
export class EventSender {
  private readonly flights = new SingleFlight<SendResult>();

  constructor(
    private readonly engine: Engine,
    private readonly clock: Clock,
  ) {}

  async send(request: EventRequest): Promise<SendResult> {
    const { principal } = request;
    if (principal.role === 'reviewer') throw problem('forbidden', 'reviewers have read-only access and may send no event');
    const at = this.clock.now();
    const options: SendOptions = { onlyIfVisible: true, ...(request.expectedVersion === undefined ? {} : { expectedVersion: request.expectedVersion }) };
    const send = (extra: SendOptions = {}) => this.engine.send(request.taskId, { type: request.type, payload: request.payload }, actorOf(principal), at, { ...options, ...extra });
    const { idempotency } = request;
    if (idempotency === undefined) return send();
    const idempotencyKey = `${principal.tokenId}:${idempotency.key}`;
    const fingerprint = requestFingerprint(idempotency.method, idempotency.path, idempotency.body);
    return this.flights.run(idempotencyKey, fingerprint, () => send({ idempotencyKey, fingerprint }));
  }
}
