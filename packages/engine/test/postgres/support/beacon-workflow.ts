import { assign, setup } from 'xstate';
import { z } from 'zod';
import type { MachineEvent, StoredSnapshot, WorkflowDefinition } from '../../../src/index.ts';

export interface BeaconContext {
  [key: string]: number;
  dueAt: number;
  pings: number;
}

const input = z.strictObject({ dueAt: z.number().int() });

/**
 * Test-only: a workflow whose one timer stays armed after it fired, so that only the engine's bookkeeping
 * (the fired timer is spent, and claimed by one server) keeps it from firing twice. Each PING counts.
 */
export const beaconV1: WorkflowDefinition<BeaconContext, z.infer<typeof input>> = {
  id: 'beacon',
  version: 1,
  machine: setup({
    types: {} as { context: BeaconContext; events: MachineEvent; input: z.infer<typeof input> },
    guards: { isSystem: ({ event }) => event.actor.role === 'system' },
  }).createMachine({
    id: 'beacon',
    initial: 'on',
    context: ({ input }) => ({ dueAt: input.dueAt, pings: 0 }),
    states: { on: { on: { PING: { guard: 'isSystem', actions: assign({ pings: ({ context }) => context.pings + 1 }) } } } },
  }),
  input,
  events: { PING: { payload: z.strictObject({}), systemOnly: true } },
  authorize: (actor, type) => actor.role === 'system' && type === 'PING',
  visibleTo: () => true,
  timers: (snapshot: StoredSnapshot<BeaconContext>) => [{ key: 'PING', dueAt: snapshot.context.dueAt, event: { type: 'PING' } }],
  tags: () => [],
};
