import type { InstanceState } from '@duban/engine';
import { Forbidden, InvalidPayload, TransitionNotAllowed, allowedEvents, step } from '@duban/engine';
import { describe, expect, test } from 'vitest';
import type { ReformTaskEventType } from '../src/index.ts';
import { reformTaskV1 } from '../src/index.ts';
import type { ActorKind, Move } from './support.ts';
import { DAY, DEADLINE, EARLY, HOUR, actorKinds, actors, contextOf, created, play, taskInput, validPayloads } from './support.ts';

// The lifecycle table of DESIGN.md, written down again as data, independent of the machine.
type State = 'assigned' | 'in_progress' | 'reported' | 'verified' | 'closed' | 'interview' | 'accountability' | 'cancelled';
type Condition =
  | 'ongoing'
  | 'beforeDeadline'
  | 'hasDeadline'
  | 'noPendingExtension'
  | 'pendingExtension'
  | 'hadInterview'
  | 'warnDue'
  | 'deadlineDue'
  | 'escalationDue'
  /** Some unit's part of the task is done (独山子区's, in the fixture that has one). */
  | 'partDone';

interface Row {
  readonly event: ReformTaskEventType;
  readonly who: readonly ActorKind[];
  readonly from: readonly State[];
  readonly when?: readonly Condition[];
  readonly to: State | 'same';
  readonly counts?: { readonly rejections?: number; readonly urges?: number };
}

const ACTIVE: readonly State[] = ['assigned', 'in_progress', 'reported', 'verified', 'interview'];
const PARTIES: readonly ActorKind[] = ['lead', 'responsible', 'district'];
/** The party units with a part of their own: all but the lead. */
const PART_HOLDERS: readonly ActorKind[] = ['responsible', 'district'];

const table: readonly Row[] = [
  { event: 'START', who: ['lead'], from: ['assigned'], to: 'in_progress' },
  { event: 'PROGRESS', who: PARTIES, from: ['in_progress'], to: 'same' },
  { event: 'PROGRESS', who: PARTIES, from: ['verified'], when: ['ongoing'], to: 'same' },
  { event: 'REPORT', who: ['lead'], from: ['in_progress'], to: 'reported' },
  { event: 'VERIFY', who: ['office'], from: ['reported'], to: 'verified' },
  { event: 'REJECT', who: ['office'], from: ['reported'], to: 'in_progress', counts: { rejections: 1 } },
  { event: 'CLOSE', who: ['office'], from: ['verified'], to: 'closed' },
  { event: 'URGE', who: ['office'], from: ACTIVE, to: 'same', counts: { urges: 1 } },
  { event: 'ESCALATE', who: ['office'], from: ['assigned', 'in_progress', 'reported'], to: 'interview' },
  { event: 'ESCALATE', who: ['system'], from: ['assigned', 'in_progress'], when: ['escalationDue'], to: 'interview' },
  { event: 'RECORD_INTERVIEW', who: ['office'], from: ['interview'], to: 'in_progress' },
  { event: 'REFER', who: ['office'], from: ['interview'], to: 'accountability' },
  { event: 'REFER', who: ['office'], from: ['in_progress'], when: ['hadInterview'], to: 'accountability' },
  {
    event: 'REQUEST_EXTENSION',
    who: ['lead'],
    from: ['assigned', 'in_progress'],
    when: ['hasDeadline', 'noPendingExtension'],
    to: 'same',
  },
  { event: 'DECIDE_EXTENSION', who: ['office'], from: ACTIVE, when: ['pendingExtension'], to: 'same' },
  { event: 'REASSIGN', who: ['office'], from: ACTIVE, to: 'same' },
  { event: 'CANCEL', who: ['office', 'admin'], from: ACTIVE, to: 'cancelled' },
  { event: 'AMEND', who: ['office', 'admin'], from: ACTIVE, to: 'same' },
  { event: 'COMMENT', who: ['office', ...PARTIES], from: ACTIVE, to: 'same' },
  { event: 'INSTRUCT', who: ['leader'], from: ACTIVE, to: 'same' },
  // Every fixture leaves the parts untouched (each `assigned`); part-state rules are in task-parts.test.ts.
  { event: 'ACKNOWLEDGE_PART', who: PART_HOLDERS, from: ACTIVE, to: 'same' },
  { event: 'PART_PROGRESS', who: PART_HOLDERS, from: ACTIVE, to: 'same' },
  { event: 'PART_DONE', who: PART_HOLDERS, from: ACTIVE, to: 'same' },
  { event: 'RETURN_PART', who: ['lead', 'office'], from: ACTIVE, when: ['partDone'], to: 'same' },
  { event: 'WARN', who: ['system'], from: ['assigned', 'in_progress'], when: ['warnDue'], to: 'same' },
  { event: 'DEADLINE_PASSED', who: ['system'], from: ['assigned', 'in_progress'], when: ['deadlineDue'], to: 'same' },
];

// Each fixture reaches a state by a scripted path and states, as data, which conditions hold at `probeAt`.
interface Fixture {
  readonly name: string;
  readonly state: State;
  readonly ongoing?: boolean;
  readonly path: readonly Move[];
  readonly probeAt: number;
  readonly holds: readonly Condition[];
  /** A unit that is no actor kind here (so every actor's own part stays untouched) finishes its part first. */
  readonly partDoneBy?: string;
}

const t = (minutes: number) => EARLY + minutes * 60_000;
const started: Move = ['START', 'lead', t(1)];
const reported: Move[] = [started, ['REPORT', 'lead', t(2)]];
const rejectedThrice: Move[] = [
  ...reported,
  ['REJECT', 'office', t(3)],
  ['REPORT', 'lead', t(4)],
  ['REJECT', 'office', t(5)],
  ['REPORT', 'lead', t(6)],
  ['REJECT', 'office', t(7)],
];

const fixtures: readonly Fixture[] = [
  { name: 'assigned, early', state: 'assigned', path: [], probeAt: EARLY, holds: ['beforeDeadline', 'noPendingExtension'] },
  {
    name: 'assigned, inside the warning window',
    state: 'assigned',
    path: [],
    probeAt: DEADLINE - 2 * DAY,
    holds: ['beforeDeadline', 'noPendingExtension', 'warnDue'],
  },
  {
    name: 'assigned, past the deadline, no timer fired yet',
    state: 'assigned',
    path: [],
    probeAt: DEADLINE + DAY,
    holds: ['noPendingExtension', 'warnDue', 'deadlineDue'],
  },
  {
    name: 'assigned, overdue for 31 days',
    state: 'assigned',
    path: [
      ['WARN', 'system', DEADLINE - 3 * DAY],
      ['DEADLINE_PASSED', 'system', DEADLINE],
    ],
    probeAt: DEADLINE + 31 * DAY,
    holds: ['noPendingExtension', 'escalationDue'],
  },
  {
    name: 'assigned, extension pending',
    state: 'assigned',
    path: [['REQUEST_EXTENSION', 'lead', t(1)]],
    probeAt: t(10),
    holds: ['beforeDeadline', 'pendingExtension'],
  },
  { name: 'in_progress, early', state: 'in_progress', path: [started], probeAt: t(10), holds: ['beforeDeadline', 'noPendingExtension'] },
  {
    name: 'in_progress, 独山子区’s part done',
    state: 'in_progress',
    path: [started],
    partDoneBy: '独山子区人民政府',
    probeAt: t(10),
    holds: ['beforeDeadline', 'noPendingExtension', 'partDone'],
  },
  {
    name: 'in_progress, warned',
    state: 'in_progress',
    path: [started, ['WARN', 'system', DEADLINE - 3 * DAY]],
    probeAt: DEADLINE - DAY,
    holds: ['beforeDeadline', 'noPendingExtension'],
  },
  {
    name: 'in_progress, overdue',
    state: 'in_progress',
    path: [started, ['WARN', 'system', DEADLINE - 3 * DAY], ['DEADLINE_PASSED', 'system', DEADLINE]],
    probeAt: DEADLINE + DAY,
    holds: ['noPendingExtension'],
  },
  {
    name: 'in_progress, extension pending',
    state: 'in_progress',
    path: [started, ['REQUEST_EXTENSION', 'lead', t(2)]],
    probeAt: t(10),
    holds: ['beforeDeadline', 'pendingExtension'],
  },
  {
    name: 'in_progress, after an interview',
    state: 'in_progress',
    path: [started, ['ESCALATE', 'office', t(2)], ['RECORD_INTERVIEW', 'office', t(3)]],
    probeAt: t(10),
    holds: ['beforeDeadline', 'noPendingExtension', 'hadInterview'],
  },
  {
    name: 'in_progress, rejected three times',
    state: 'in_progress',
    path: rejectedThrice,
    probeAt: t(10),
    holds: ['beforeDeadline', 'noPendingExtension', 'escalationDue'],
  },
  { name: 'reported, early', state: 'reported', path: reported, probeAt: t(10), holds: ['beforeDeadline', 'noPendingExtension'] },
  {
    name: 'reported on time, verified after the deadline',
    state: 'reported',
    path: reported,
    probeAt: DEADLINE + 31 * DAY,
    holds: ['noPendingExtension'],
  },
  {
    name: 'reported, extension pending',
    state: 'reported',
    path: [started, ['REQUEST_EXTENSION', 'lead', t(2)], ['REPORT', 'lead', t(3)]],
    probeAt: t(10),
    holds: ['beforeDeadline', 'pendingExtension'],
  },
  { name: 'verified', state: 'verified', path: [...reported, ['VERIFY', 'office', t(3)]], probeAt: t(10), holds: ['beforeDeadline'] },
  {
    name: 'verified, ongoing task',
    state: 'verified',
    ongoing: true,
    path: [...reported, ['VERIFY', 'office', t(3)]],
    probeAt: t(10),
    holds: ['beforeDeadline', 'ongoing'],
  },
  {
    name: 'verified, extension pending',
    state: 'verified',
    path: [started, ['REQUEST_EXTENSION', 'lead', t(2)], ['REPORT', 'lead', t(3)], ['VERIFY', 'office', t(4)]],
    probeAt: t(10),
    holds: ['beforeDeadline', 'pendingExtension'],
  },
  { name: 'interview', state: 'interview', path: [started, ['ESCALATE', 'office', t(2)]], probeAt: t(10), holds: ['beforeDeadline'] },
  {
    name: 'interview, extension pending',
    state: 'interview',
    path: [started, ['REQUEST_EXTENSION', 'lead', t(2)], ['ESCALATE', 'office', t(3)]],
    probeAt: t(10),
    holds: ['beforeDeadline', 'pendingExtension'],
  },
  {
    name: 'interview, escalated by the system',
    state: 'interview',
    path: [
      started,
      ['WARN', 'system', DEADLINE - 3 * DAY],
      ['DEADLINE_PASSED', 'system', DEADLINE],
      ['ESCALATE', 'system', DEADLINE + 30 * DAY],
    ],
    probeAt: DEADLINE + 30 * DAY + HOUR,
    holds: [],
  },
  {
    name: 'closed',
    state: 'closed',
    path: [...reported, ['VERIFY', 'office', t(3)], ['CLOSE', 'office', t(4)]],
    probeAt: t(10),
    holds: ['beforeDeadline'],
  },
  {
    name: 'accountability',
    state: 'accountability',
    path: [started, ['ESCALATE', 'office', t(2)], ['REFER', 'office', t(3)]],
    probeAt: t(10),
    holds: ['beforeDeadline'],
  },
  { name: 'cancelled', state: 'cancelled', path: [['CANCEL', 'office', t(1)]], probeAt: t(10), holds: ['beforeDeadline'] },
];

const eventTypes = Object.keys(validPayloads) as ReformTaskEventType[];

type Expected = { readonly kind: 'forbidden' } | { readonly kind: 'not_allowed' } | { readonly kind: 'moves'; readonly row: Row };

function expected(fixture: Fixture, event: ReformTaskEventType, actor: ActorKind): Expected {
  const rows = table.filter((row) => row.event === event);
  if (!rows.some((row) => row.who.includes(actor))) return { kind: 'forbidden' };
  const row = rows.find(
    // Every fixture's task is made with a deadline date: a limit is in force in each.
    (r) => r.who.includes(actor) && r.from.includes(fixture.state) && (r.when ?? []).every((c) => c === 'hasDeadline' || fixture.holds.includes(c)),
  );
  return row === undefined ? { kind: 'not_allowed' } : { kind: 'moves', row };
}

function reach(fixture: Fixture): InstanceState {
  const input = fixture.ongoing === true ? taskInput({ deadline: { text: '2023年6月底前并长期坚持', date: '2023-06-30', ongoing: true } }) : taskInput();
  const reached = play(created(input), fixture.path);
  if (fixture.partDoneBy === undefined) return reached;
  const done = step(reformTaskV1, reached, 'PART_DONE', { summary: '本区已完成' }, { role: 'unit', unit: fixture.partDoneBy }, fixture.probeAt - 1);
  if (!done.ok) throw new Error(`PART_DONE by ${fixture.partDoneBy} was refused: ${done.error.message}`);
  return { ...reached, version: reached.version + 1, snapshot: done.step.snapshot };
}

const exercised = new Set<Row>();

describe('model: every (state, event, actor) of the lifecycle table', () => {
  test('given the fixtures, then they reach every state of the lifecycle', () => {
    expect(new Set(fixtures.map((f) => f.state))).toEqual(
      new Set(['assigned', 'in_progress', 'reported', 'verified', 'closed', 'interview', 'accountability', 'cancelled']),
    );
  });

  describe.each(fixtures)('given a task $name', (fixture) => {
    test(`then it is in ${fixture.state}`, () => {
      expect(reach(fixture).snapshot.value).toBe(fixture.state);
    });

    test('when each actor sends each event with a valid payload, then it moves or is refused exactly as the table says', () => {
      const instance = reach(fixture);
      const before = structuredClone(instance.snapshot);
      const mismatches: string[] = [];
      for (const event of eventTypes) {
        for (const actor of actorKinds) {
          const want = expected(fixture, event, actor);
          const result = step(reformTaskV1, instance, event, validPayloads[event], actors[actor], fixture.probeAt);
          const label = `${event} by ${actor}`;
          if (want.kind === 'moves') {
            if (!result.ok) {
              mismatches.push(`${label}: expected to move, refused with ${result.error.name}: ${result.error.message}`);
              continue;
            }
            exercised.add(want.row);
            const to = want.row.to === 'same' ? fixture.state : want.row.to;
            const next = result.step.snapshot.context as ReturnType<typeof contextOf>;
            const was = contextOf(instance);
            if (result.step.snapshot.value !== to) mismatches.push(`${label}: moved to ${result.step.snapshot.value}, expected ${to}`);
            if (next.rejections !== was.rejections + (want.row.counts?.rejections ?? 0)) mismatches.push(`${label}: rejections ${next.rejections}`);
            if (next.urges !== was.urges + (want.row.counts?.urges ?? 0)) mismatches.push(`${label}: urges ${next.urges}`);
            if (result.step.draft.from !== fixture.state || result.step.draft.to !== to || result.step.draft.version !== instance.version + 1) {
              mismatches.push(`${label}: audit draft ${result.step.draft.from} -> ${result.step.draft.to} v${result.step.draft.version}`);
            }
          } else {
            const errorClass = want.kind === 'forbidden' ? Forbidden : TransitionNotAllowed;
            if (result.ok) mismatches.push(`${label}: expected ${errorClass.name}, moved to ${result.step.snapshot.value}`);
            else if (!(result.error instanceof errorClass)) mismatches.push(`${label}: expected ${errorClass.name}, got ${result.error.name}`);
          }
        }
      }
      expect(mismatches).toEqual([]);
      expect(instance.snapshot).toEqual(before);
    });

    test('when a permitted actor sends a payload with an unknown key, then it is refused as InvalidPayload and nothing changes', () => {
      const instance = reach(fixture);
      const before = structuredClone(instance.snapshot);
      const mismatches: string[] = [];
      for (const event of eventTypes) {
        for (const actor of actorKinds) {
          if (expected(fixture, event, actor).kind === 'forbidden') continue;
          const result = step(reformTaskV1, instance, event, { ...validPayloads[event], extra: 1 }, actors[actor], fixture.probeAt);
          if (result.ok || !(result.error instanceof InvalidPayload)) {
            mismatches.push(`${event} by ${actor}: ${result.ok ? 'moved' : result.error.name}`);
          }
        }
      }
      expect(mismatches).toEqual([]);
      expect(instance.snapshot).toEqual(before);
    });

    test('when each actor asks which events it may send, then the answer is exactly the table’s', () => {
      const instance = reach(fixture);
      for (const actor of actorKinds) {
        const want = eventTypes.filter((event) => expected(fixture, event, actor).kind === 'moves');
        expect(allowedEvents(reformTaskV1, instance.snapshot, actors[actor], fixture.probeAt), actor).toEqual(want);
      }
    });
  });

  test('then every row of the table was exercised as an allowed move', () => {
    const missing = table.filter((row) => !exercised.has(row)).map((row) => `${row.event} by ${row.who.join('/')} from ${row.from.join('/')}`);
    expect(missing).toEqual([]);
  });
});
