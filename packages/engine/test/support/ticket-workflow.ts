import { assign, setup } from 'xstate';
import { z } from 'zod';
import type { MachineEvent, StoredSnapshot, WorkflowDefinition } from '../../src/index.ts';

/** A small generic workflow for engine tests: a ticket that is opened, worked on and closed by its owner. */
export interface TicketContext {
  [key: string]: string | number | boolean | null;
  owner: string;
  dueAt: number | null;
  notes: number;
  late: boolean;
}

const input = z.strictObject({ owner: z.string().min(1), dueAt: z.number().int().nullable() });

function machine(version: 1 | 2) {
  return setup({
    types: {} as { context: TicketContext; events: MachineEvent; input: z.infer<typeof input> },
    guards: {
      isOwner: ({ context, event }) => event.actor.unit === context.owner,
      isSystem: ({ event }) => event.actor.role === 'system',
    },
  }).createMachine({
    id: 'ticket',
    initial: 'open',
    context: ({ input }) => ({ owner: input.owner, dueAt: input.dueAt, notes: 0, late: false }),
    states: {
      open: {
        on: {
          WORK: { guard: 'isOwner', target: 'working' },
          LATE: { guard: 'isSystem', actions: assign({ late: true }) },
        },
      },
      working: {
        on: {
          NOTE: { guard: 'isOwner', actions: assign({ notes: ({ context }) => context.notes + version }) },
          DONE: { guard: 'isOwner', target: 'done' },
          LATE: { guard: 'isSystem', actions: assign({ late: true }) },
        },
      },
      done: { type: 'final' },
    },
  });
}

function definition(version: 1 | 2): WorkflowDefinition<TicketContext, z.infer<typeof input>> {
  return {
    id: 'ticket',
    version,
    machine: machine(version),
    input,
    events: {
      WORK: { payload: z.strictObject({}) },
      NOTE: { payload: z.strictObject({ text: z.string().min(1).max(100) }) },
      DONE: { payload: z.strictObject({}) },
      LATE: { payload: z.strictObject({}), systemOnly: true },
    },
    authorize: (actor, type, snapshot) => (actor.role === 'system' ? type === 'LATE' : actor.role === 'unit' && actor.unit === snapshot.context.owner),
    visibleTo: (actor, snapshot) => actor.role !== 'unit' || actor.unit === snapshot.context.owner,
    timers: (snapshot: StoredSnapshot<TicketContext>) =>
      snapshot.status === 'active' && !snapshot.context.late && snapshot.context.dueAt !== null
        ? [{ key: 'LATE', dueAt: snapshot.context.dueAt, event: { type: 'LATE' } }]
        : [],
    tags: (snapshot) => [`state:${snapshot.value}`, `owner:${snapshot.context.owner}`],
  };
}

/** Version 1: a NOTE adds 1. */
export const ticketV1 = definition(1);
/** Version 2: a NOTE adds 2 — so replay through the wrong version would show. */
export const ticketV2 = definition(2);
