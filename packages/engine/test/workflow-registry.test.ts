import { assign, log, raise, sendTo, setup } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { AnyWorkflowDefinition } from '../src/index.ts';
import { WorkflowRegistry } from '../src/workflow-registry.ts';
import { ticketV1, ticketV2 } from './support/ticket-workflow.ts';

/** The ticket workflow with another machine in it. */
const withMachine = (machine: AnyWorkflowDefinition['machine']): AnyWorkflowDefinition => ({ ...ticketV1, id: 'odd', machine });

const machineWith = (transition: Record<string, unknown>, state: Record<string, unknown> = {}) =>
  setup({ actions: { bump: assign({ n: 1 }), notify: () => {} } }).createMachine({
    context: { n: 0 },
    initial: 'open',
    states: { open: { on: { GO: { target: 'done', ...transition } }, ...state }, done: {} },
  } as never) as unknown as AnyWorkflowDefinition['machine'];

describe('registering a workflow', () => {
  it('given machines whose actions are all assign, named or inline, then they register', () => {
    expect(() => new WorkflowRegistry([ticketV1, ticketV2])).not.toThrow();
    expect(() => new WorkflowRegistry([withMachine(machineWith({ actions: ['bump', assign({ n: 2 })] }))])).not.toThrow();
  });

  it.each([
    ['a named function action', { actions: ['notify'] }, {}, /on GO: action "notify" is not assign/],
    ['an inline function action', { actions: [() => {}] }, {}, /on GO: action a function is not assign/],
    ['raise', { actions: [raise({ type: 'GO' })] }, {}, /on GO: action xstate\.raise is not assign/],
    ['log on entry', {}, { entry: [log('hi')] }, /open entry: action xstate\.log is not assign/],
    ['sendTo', { actions: [sendTo('x', { type: 'Y' })] }, {}, /action xstate\.sendTo is not assign/],
    ['log in an eventless (always) transition', {}, { always: { guard: () => false, target: 'done', actions: [log('hi')] } }, /open always: action xstate\.log is not assign/],
    ['an invoked actor', {}, { invoke: { src: 'child' } }, /open: invokes an actor/],
    ['a delayed transition', {}, { after: { 1000: 'done' } }, /open: has a delayed \(after\) transition/],
  ])('given a machine with %s, then registration refuses it, naming the state and the part', (_name, transition, state, message) => {
    expect(() => new WorkflowRegistry([withMachine(machineWith(transition, state))])).toThrow(message);
    expect(() => new WorkflowRegistry([withMachine(machineWith(transition, state))])).toThrow(/^workflow odd@1 cannot run durably: /);
  });
});
