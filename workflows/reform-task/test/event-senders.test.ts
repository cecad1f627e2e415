import type { AnyWorkflowDefinition, InstanceState } from '@duban/engine';
import { step } from '@duban/engine';
import { describe, expect, test } from 'vitest';
import type { ReformTaskEventType } from '../src/index.ts';
import { eventSenders, partEvents, reformTaskEventTypes, reformTaskV1, systemOnlyEvents } from '../src/index.ts';
import type { ActorKind, Move } from './support.ts';
import { DAY, DEADLINE, EARLY, actorKinds, actors, created, play, validPayloads } from './support.ts';

// Who may send each event is written once, in eventSenders. With it out of the way (authorize admits
// anyone, no event is system-only) the machine must take from every actor what it takes from any:
// it holds state rules only. It reads the actor twice: to tell an automatic escalation from an office's,
// and to find the sender's own part (so a part event is taken from units only, never from a role without one).
const open: AnyWorkflowDefinition = {
  ...reformTaskV1,
  authorize: () => true,
  events: Object.fromEntries(Object.entries(reformTaskV1.events).map(([type, spec]) => [type, { ...spec, systemOnly: false }])),
};

const t = (minutes: number) => EARLY + minutes * 60_000;
const reported: Move[] = [
  ['START', 'lead', t(1)],
  ['REPORT', 'lead', t(2)],
];
const fixtures: readonly { name: string; path: readonly Move[]; probeAt: number }[] = [
  { name: 'assigned', path: [], probeAt: t(10) },
  { name: 'assigned, overdue for 31 days', path: [['WARN', 'system', DEADLINE - 3 * DAY], ['DEADLINE_PASSED', 'system', DEADLINE]], probeAt: DEADLINE + 31 * DAY },
  { name: 'in_progress', path: [['START', 'lead', t(1)]], probeAt: t(10) },
  { name: 'reported', path: reported, probeAt: t(10) },
  { name: 'verified', path: [...reported, ['VERIFY', 'office', t(3)]], probeAt: t(10) },
  { name: 'interview', path: [['ESCALATE', 'office', t(1)]], probeAt: t(10) },
];

function takers(instance: InstanceState, type: ReformTaskEventType, at: number): ActorKind[] {
  return actorKinds.filter((kind) => step(open, instance, type, validPayloads[type], actors[kind], at).ok);
}

describe('who may send each event', () => {
  test.each(fixtures)('given a task $name, then the machine takes each event from everyone or from no one', ({ path, probeAt }) => {
    const instance = play(created(), path);
    for (const type of reformTaskEventTypes) {
      const taken = takers(instance, type, probeAt);
      const everyoneBut = (kind: ActorKind) => actorKinds.filter((k) => k !== kind);
      const units = actorKinds.filter((kind) => actors[kind].unit !== null);
      const allowed = type === 'ESCALATE' ? [[], actorKinds, everyoneBut('system')] : partEvents.includes(type as never) ? [[], units] : [[], actorKinds];
      expect(allowed, `${type}: taken from ${taken.join(', ')}`).toContainEqual(taken);
    }
  });

  test('given the system-only events, then they are the events whose one sender in eventSenders is the system', () => {
    expect([...systemOnlyEvents]).toEqual(['WARN', 'DEADLINE_PASSED']);
    for (const type of reformTaskEventTypes) expect(reformTaskV1.events[type]?.systemOnly === true, type).toBe(eventSenders[type].join() === 'system');
  });
});
