import type { Actor, EventSpec, JsonObject, WorkflowDefinition } from '@duban/engine';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { organisationEventPayloads, organisationEventTypes } from './organisation-events.ts';
import type { OrganisationEventType } from './organisation-events.ts';

/** The organisation's context: how many changes it has recorded. */
export interface OrganisationContext extends JsonObject {
  changes: number;
}

/** The one organisation instance's id. */
export const ORGANISATION_ID = 'organisation';

type OrganisationEvent = { type: OrganisationEventType; payload: JsonObject; actor: Actor; at: number };

const organisationInput = z.strictObject({});

/** Flat and assign-only: every change is accepted in the one state and counted; the entry is the record. */
const organisationMachine = setup({
  types: {} as { context: OrganisationContext; events: OrganisationEvent; input: Record<string, never> },
  actions: { count: assign({ changes: ({ context }) => context.changes + 1 }) },
}).createMachine({
  id: 'organisation',
  initial: 'open',
  context: { changes: 0 },
  states: {
    open: { on: Object.fromEntries(organisationEventTypes.map((type) => [type, { actions: 'count' }])) },
  },
});

function eventSpec(type: OrganisationEventType): EventSpec {
  return { payload: organisationEventPayloads[type] as unknown as z.ZodType<JsonObject> };
}

const isAdmin = (actor: Actor) => actor.role === 'admin';

/**
 * Workflow `organisation`, version 1: the record of the organisation's changes (units, accounts) in
 * the audit log, one instance (`ORGANISATION_ID`), one entry a change. Only an admin sends; only an
 * admin sees it; no timers, no tags. Pure.
 */
export const organisationV1: WorkflowDefinition<OrganisationContext, Record<string, never>> = {
  id: 'organisation',
  version: 1,
  machine: organisationMachine,
  input: organisationInput as unknown as z.ZodType<Record<string, never>>,
  events: Object.fromEntries(organisationEventTypes.map((type) => [type, eventSpec(type)])),
  authorize: (actor) => isAdmin(actor),
  visibleTo: (actor) => isAdmin(actor),
  timers: () => [],
  tags: () => [],
};
