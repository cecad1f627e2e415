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
/** The office settles the units of a plan it imports; every other change is an admin's. */
const mayChange = (actor: Actor, eventType: string) => isAdmin(actor) || (actor.role === 'office' && eventType === 'CHANGE_UNITS');

/**
 * Workflow `organisation`, version 1: the record of the organisation's changes (units, accounts) in
 * the audit log, one instance (`ORGANISATION_ID`), one entry a change. An admin sends every change,
 * the office also CHANGE_UNITS (settling a plan's units); nobody sees it as a task; no timers, no tags. Pure.
 */
export const organisationV1: WorkflowDefinition<OrganisationContext, Record<string, never>> = {
  id: 'organisation',
  version: 1,
  machine: organisationMachine,
  input: organisationInput as unknown as z.ZodType<Record<string, never>>,
  events: Object.fromEntries(organisationEventTypes.map((type) => [type, eventSpec(type)])),
  authorize: (actor, eventType) => mayChange(actor, eventType),
  // Not a task: nobody opens, lists or sends to it through the task routes (their onlyIfVisible answers 404); the audit log shows its entries.
  visibleTo: () => false,
  timers: () => [],
  tags: () => [],
};
