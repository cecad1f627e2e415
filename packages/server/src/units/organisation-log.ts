import type { Actor, Engine, StoreTransaction } from '@duban/engine';
import { ORGANISATION_ID, organisationV1 } from '@duban/organisation';
import type { OrganisationEventType, OrganisationPayloads } from '@duban/organisation';

/**
 * The organisation's record in the audit log: each change to the units or the accounts is one entry
 * of the organisation's one instance (created with the first change), naming the acting person.
 * `write`, when given, runs in the entry's own transaction (the change and its record commit
 * together, or neither); a unit change's tables are written by the commit hook instead
 * (`organisation-hook.ts`). Does IO.
 */
export class OrganisationLog {
  constructor(private readonly engine: Engine) {}

  async record<T extends OrganisationEventType>(type: T, payload: OrganisationPayloads[T], actor: Actor, at: Date, write?: (tx: StoreTransaction) => Promise<void>): Promise<void> {
    await this.engine.create([{ id: ORGANISATION_ID, workflow: organisationV1.id, input: {} }], actor, at);
    await this.engine.send(ORGANISATION_ID, { type, payload }, actor, at, write === undefined ? {} : { inTransaction: (tx) => write(tx) });
  }
}
