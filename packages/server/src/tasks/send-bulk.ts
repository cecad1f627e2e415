import type { AuditEntry, Json } from '@duban/engine';
import { IdempotencyKeyReused } from '@duban/engine';
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.ts';
import { callerKey } from '../auth/principal.ts';
import type { ServerDatabase } from '../db/server-tables.ts';
import { problemBody, toProblem } from '../http/problem-details.ts';
import { requestFingerprint } from '../http/request-fingerprint.ts';
import type { Clock } from '../time/clock.ts';
import type { EventSender } from './send-event.ts';
import { SingleFlight } from './single-flight.ts';

/** The events sent to many tasks at once: 督办 with one message, extensions decided, reassignment. */
export const bulkEventTypes = ['URGE', 'DECIDE_EXTENSION', 'REASSIGN'] as const;
export type BulkEventType = (typeof bulkEventTypes)[number];

/** The most tasks one bulk request names. */
export const BULK_MAX_TASKS = 1000;

/** Sends at once: enough for the engine to gather them into few commits, few enough not to crowd other requests. */
const IN_FLIGHT = 32;

/** One task's outcome: the status a single send would have answered, and its entry or its problem. */
export interface BulkResult {
  readonly id: string;
  readonly status: number;
  readonly entry?: AuditEntry;
  readonly problem?: Record<string, unknown>;
}

/** One event for many tasks. */
export interface BulkRequest {
  readonly ids: readonly string[];
  readonly type: BulkEventType;
  readonly payload: Record<string, unknown>;
  readonly principal: Principal;
  /** The caller's key for the whole request, bound to the method, path and body it came with. */
  readonly idempotency?: { readonly key: string; readonly method: string; readonly path: string; readonly body: Json } | undefined;
}

/**
 * Sends one event to each of many tasks through the one EventSender (`send-event.ts`): one audited
 * entry per task, a result per task (a task the caller may not see is a 404 like an unknown one; a
 * refusal is that task's problem and stops no other). With an Idempotency-Key the request is one
 * whole: its first answer is kept (`bulk_request`) and a retry with the same key and body gets it
 * again, with another body a 422; each task's send carries a key derived from it, so a retry after a
 * crash half-way sends no task's event twice. Does IO.
 */
export class BulkSender {
  private readonly flights = new SingleFlight<BulkResult[]>();

  constructor(
    private readonly events: EventSender,
    private readonly db: Kysely<ServerDatabase>,
    private readonly clock: Clock,
  ) {}

  async send(request: BulkRequest): Promise<BulkResult[]> {
    const { idempotency, principal } = request;
    if (idempotency === undefined) return this.sendEach(request);
    const key = `bulk:${principal.tokenId > 0 ? principal.tokenId : callerKey(principal)}:${idempotency.key}`;
    const fingerprint = requestFingerprint(idempotency.method, idempotency.path, idempotency.body);
    return this.flights.run(key, fingerprint, async () => {
      const first = await this.db.selectFrom('bulk_request').select(['fingerprint', 'response']).where('key', '=', key).executeTakeFirst();
      if (first !== undefined) {
        if (first.fingerprint !== fingerprint) throw new IdempotencyKeyReused(idempotency.key);
        return JSON.parse(first.response) as BulkResult[];
      }
      const results = await this.sendEach(request, (id) => ({ ...idempotency, key: `${idempotency.key}:${id}` }));
      await this.db
        .insertInto('bulk_request')
        .values({ key, fingerprint, response: JSON.stringify(results), created_at: this.clock.now().toISOString() })
        .onConflict((conflict) => conflict.column('key').doNothing())
        .execute();
      return results;
    });
  }

  private async sendEach(request: BulkRequest, keyOf?: (id: string) => NonNullable<BulkRequest['idempotency']>): Promise<BulkResult[]> {
    const results: BulkResult[] = new Array(request.ids.length);
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < request.ids.length; index = next++) {
        const id = request.ids[index]!;
        try {
          const { entry } = await this.events.send({ taskId: id, type: request.type, payload: request.payload, principal: request.principal, idempotency: keyOf?.(id) });
          results[index] = { id, status: 200, entry };
        } catch (error) {
          const problem = toProblem(error);
          if (problem.status >= 500) throw error;
          results[index] = { id, status: problem.status, problem: problemBody(problem) };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, request.ids.length) }, worker));
    return results;
  }
}
