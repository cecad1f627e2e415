import type { ReformTaskContext } from '@duban/reform-task';
import type { TaskFacts, TaskFactsContext } from '../report-task.ts';
import { comparePlanOrder, factFieldNames } from '../report-task.ts';
import { SharedValues } from '../shared-values.ts';
import { PLAN_FIELDS } from './history-groups.ts';

const FINAL_STATES: ReadonlySet<string> = new Set(['closed', 'accountability', 'cancelled']);

/** The facts read from the standing group (every fact field but the plan's). */
const STANDING_FACTS: readonly string[] = factFieldNames.filter((field) => !PLAN_FIELDS.has(field));
/** A version's facts as slots: its state, its plan group (one object), then each standing fact. */
const STATE_SLOT = 0;
const PLAN_SLOT = 1;
const FIRST_STANDING_SLOT = 2;
const SLOTS = FIRST_STANDING_SLOT + STANDING_FACTS.length;
/** A change is stored as (version index × 16 + slot, value id). */
const SLOT_BITS = 4;
if (SLOTS > 1 << SLOT_BITS) throw new Error(`FactsTimeline: ${SLOTS} slots do not fit in ${SLOT_BITS} bits`);
/** The slot of each standing fact. */
const slotOf = (field: string) => FIRST_STANDING_SLOT + STANDING_FACTS.indexOf(field);
const DUE_DATE = slotOf('dueDate');
const DEADLINE_AT = slotOf('deadlineAt');
const WARNED = slotOf('warned');
const OVERDUE = slotOf('overdue');
const REJECTIONS = slotOf('rejections');
const REPORTED_AT = slotOf('reportedAt');
const VERIFIED_AT = slotOf('verifiedAt');
const PENDING_EXTENSION = slotOf('pendingExtension');
const OPEN_QUESTIONS = slotOf('openQuestions');
const LAST_REPORT = slotOf('lastReport');
const PARTS = slotOf('parts');

type PlanGroup = Pick<ReformTaskContext, 'planId' | 'number' | 'part' | 'text' | 'leadUnits' | 'responsibleUnits' | 'collectives' | 'deadline' | 'graceFrom'>;

/**
 * A version's facts as one object literal (one shape for every task: the summary reads 100,000 of
 * them), the plan's fields from its plan group, the others from their slots. Pure.
 */
function factsContext(plan: PlanGroup, values: readonly unknown[], slots: Int32Array): TaskFactsContext {
  return {
    planId: plan.planId,
    number: plan.number,
    part: plan.part,
    text: plan.text,
    leadUnits: plan.leadUnits,
    responsibleUnits: plan.responsibleUnits,
    collectives: plan.collectives,
    deadline: plan.deadline,
    dueDate: values[slots[DUE_DATE]!],
    deadlineAt: values[slots[DEADLINE_AT]!],
    warned: values[slots[WARNED]!],
    overdue: values[slots[OVERDUE]!],
    rejections: values[slots[REJECTIONS]!],
    reportedAt: values[slots[REPORTED_AT]!],
    verifiedAt: values[slots[VERIFIED_AT]!],
    graceFrom: plan.graceFrom,
    pendingExtension: values[slots[PENDING_EXTENSION]!],
    openQuestions: values[slots[OPEN_QUESTIONS]!],
    lastReport: values[slots[LAST_REPORT]!],
    parts: values[slots[PARTS]!],
  } as TaskFactsContext;
}
// The literal above must name every fact field (report-task.ts) and no other.
const literalFields = Object.keys(factsContext({} as PlanGroup, [], new Int32Array(SLOTS))).sort().join();
if (literalFields !== [...factFieldNames].sort().join()) throw new Error(`FactsTimeline: the facts literal names ${literalFields}, not the fact fields`);
/** The plan group's fields many tasks share (one copy each). */
const SHARED_PLAN_FIELDS = ['planId', 'part', 'leadUnits', 'responsibleUnits', 'collectives'];
/** Versions appended since the last compaction beyond which they are merged into the packed arrays. */
const COMPACT_AFTER = 100_000;

/** A task's versions appended after the packed arrays were made (the log's tail). */
interface Tail {
  ats: number[];
  changes: number[];
}

/**
 * Every reform task's facts at each of its versions, held in memory compactly, derived from the
 * plan's history (`plan_history`): per version only its time (8 bytes), and per change of a fact
 * (the state, the plan group, each standing fact) the version, the slot and an id into one table of
 * values (primitives held once; objects as parsed). The facts as of an instant are then, per task, a
 * binary search over its versions' times and a scan of its few changes: no SQL, no JSON.
 *
 * The tasks' versions are packed into typed arrays, task after task (as the history is read in key
 * order); versions appended later (the log's tail) are held per task beside them and merged in
 * when they grow many. Derived data: rebuilt from `plan_history` whenever a server starts. Holds no IO.
 */
export class FactsTimeline {
  private readonly ids: string[] = [];
  private readonly index = new Map<string, number>();
  /** Task i's versions' times are `ats[versionStart[i]…versionStart[i+1])`, its changes `changes[2·changeStart[i]…2·changeStart[i+1])`; for tasks below `packed`. */
  private versionStart = new Int32Array(1024);
  private ats = new Float64Array(1024);
  private changeStart = new Int32Array(1024);
  private changes = new Int32Array(2048);
  private packed = 0;
  /** Whether tasks are being added in key order into the packed arrays (the first read of the history). */
  private packing = true;
  private tails: (Tail | undefined)[] = [];
  private tailVersions = 0;
  private readonly values: unknown[] = [undefined, null, true, false];
  /** Each primitive's id while the history is first read (then dropped: the tail's few values are added as they come). */
  private primitiveIds: Map<unknown, number> | undefined = new Map<unknown, number>();
  private readonly planValues = new SharedValues();
  /** Task indexes in plan order by their latest plan; undefined after a task or a plan was added. */
  private order: Int32Array | undefined;
  /** Scratch: the value ids of a version's slots. */
  private readonly slots = new Int32Array(SLOTS);

  constructor(
    /** The log's seq the history had reached when its reading began (rows after it may or may not be in). */
    public seq: number,
    /** Versions appended beside the packed arrays beyond which they are merged into them. */
    private readonly compactAfter = COMPACT_AFTER,
  ) {}

  /** How many reform tasks are held. */
  get size(): number {
    return this.ids.length;
  }

  /**
   * Adds a task's version from its history row: `plan` and `standing` the groups the row holds (parsed),
   * undefined where it names an earlier version's. Versions already held are skipped (a row read twice);
   * one missing before it is an error.
   */
  add(id: string, version: number, at: number, state: string, plan: Record<string, unknown> | undefined, standing: Record<string, unknown> | undefined): void {
    let task = this.index.get(id);
    if (task === undefined) {
      if (version !== 1) throw new Error(`FactsTimeline: ${id} starts at version ${version}`);
      if (plan === undefined || standing === undefined) throw new Error(`FactsTimeline: ${id} version 1 lacks its plan or standing`);
      task = this.ids.length;
      this.ids.push(id);
      this.index.set(id, task);
      this.tails.push(undefined);
      this.order = undefined;
      if (this.packing) this.startPacked(task);
    }
    const count = this.versions(task);
    if (version <= count) return;
    if (version !== count + 1) throw new Error(`FactsTimeline: ${id} version ${version} after ${count}`);
    const changes: number[] = [];
    const code = (slot: number) => (count << SLOT_BITS) | slot;
    const slots = this.slots;
    if (count > 0) this.slotsAt(task, count - 1, slots);
    if (count === 0 || !this.same(slots[STATE_SLOT]!, state)) changes.push(code(STATE_SLOT), this.idOf(state));
    if (plan !== undefined) {
      for (const field of SHARED_PLAN_FIELDS) if (field in plan) plan[field] = this.planValues.share(plan[field]);
      changes.push(code(PLAN_SLOT), this.idOf(plan));
      if (count > 0) this.order = undefined;
    }
    if (standing !== undefined) {
      for (let k = 0; k < STANDING_FACTS.length; k++) {
        const value = standing[STANDING_FACTS[k]!];
        const slot = FIRST_STANDING_SLOT + k;
        if (count > 0 && this.same(slots[slot]!, value)) continue;
        changes.push(code(slot), this.idOf(value));
      }
    }
    if (this.packing && task === this.packed - 1) this.appendPacked(task, at, changes);
    else this.appendTail(task, at, changes);
  }

  /** Ends the first reading: the packed arrays trimmed to their size; later versions go beside them. */
  endPacking(): void {
    this.packing = false;
    this.primitiveIds = undefined;
    this.trim();
  }

  /** Each reform task's facts as of `at` (epoch ms), in plan order (those not yet assigned left out). */
  factsAt(at: number): TaskFacts[] {
    const facts: TaskFacts[] = [];
    const slots = this.slots;
    // In the order of the latest plans: the sort below then only checks it (a past plan rarely differs).
    for (const task of this.planOrder()) {
      const version = this.versionAt(task, at);
      if (version < 0) continue;
      this.slotsAt(task, version, slots);
      const context = factsContext(this.values[slots[PLAN_SLOT]!] as PlanGroup, this.values, slots);
      const value = this.values[slots[STATE_SLOT]!] as string;
      const status = FINAL_STATES.has(value) ? 'done' : 'active';
      facts.push({ id: this.ids[task]!, version: version + 1, snapshot: { value, status, context } as TaskFacts['snapshot'], task: context, assignedAt: this.atOf(task, 0), changedAt: this.atOf(task, version) });
    }
    return facts.sort(comparePlanOrder);
  }

  /** The task's plan group at `version` (its fields as imported, amended, reassigned); undefined when the task or version is not held. */
  planAt(id: string, version: number): Readonly<Record<string, unknown>> | undefined {
    const task = this.index.get(id);
    if (task === undefined || version < 1 || version > this.versions(task)) return undefined;
    this.slotsAt(task, version - 1, this.slots);
    return this.values[this.slots[PLAN_SLOT]!] as Record<string, unknown>;
  }

  /** How many versions of task `task` are held. */
  private versions(task: number): number {
    return this.packedVersions(task) + (this.tails[task]?.ats.length ?? 0);
  }

  private packedVersions(task: number): number {
    return task < this.packed ? this.versionStart[task + 1]! - this.versionStart[task]! : 0;
  }

  /** The index of the task's latest version stamped at or before `at`; -1 when none is. */
  private versionAt(task: number, at: number): number {
    const count = this.packedVersions(task);
    const tail = this.tails[task];
    if (tail !== undefined && tail.ats[0]! <= at) return count + lastAtOrBefore(tail.ats, 0, tail.ats.length, at);
    if (count === 0) return -1;
    const start = this.versionStart[task]!;
    return lastAtOrBefore(this.ats, start, start + count, at) - start;
  }

  private atOf(task: number, version: number): number {
    const count = this.packedVersions(task);
    return version < count ? this.ats[this.versionStart[task]! + version]! : this.tails[task]!.ats[version - count]!;
  }

  /** Fills `slots` with the value ids of the task's facts at version index `version`. */
  private slotsAt(task: number, version: number, slots: Int32Array): void {
    const last = ((version + 1) << SLOT_BITS) - 1;
    if (task < this.packed) {
      const end = 2 * this.changeStart[task + 1]!;
      for (let c = 2 * this.changeStart[task]!; c < end; c += 2) {
        const code = this.changes[c]!;
        if (code > last) return;
        slots[code & ((1 << SLOT_BITS) - 1)] = this.changes[c + 1]!;
      }
    }
    const tail = this.tails[task];
    if (tail === undefined) return;
    for (let c = 0; c < tail.changes.length; c += 2) {
      const code = tail.changes[c]!;
      if (code > last) return;
      slots[code & ((1 << SLOT_BITS) - 1)] = tail.changes[c + 1]!;
    }
  }

  /** Whether the value id `id` stands for a value equal to `value` (objects by their JSON). */
  private same(id: number, value: unknown): boolean {
    const held = this.values[id];
    if (typeof value !== 'object' || value === null || typeof held !== 'object' || held === null) return held === value;
    return JSON.stringify(held) === JSON.stringify(value);
  }

  /** The id of `value` in the values table: primitives held once, each object as given. */
  private idOf(value: unknown): number {
    if (value === undefined) return 0;
    if (value === null) return 1;
    if (value === true) return 2;
    if (value === false) return 3;
    if (typeof value !== 'object' && this.primitiveIds !== undefined) {
      const known = this.primitiveIds.get(value);
      if (known !== undefined) return known;
      this.primitiveIds.set(value, this.values.length);
    }
    this.values.push(value);
    return this.values.length - 1;
  }

  private startPacked(task: number): void {
    if (task !== this.packed) throw new Error('FactsTimeline: packed tasks must come one after another');
    this.versionStart = grown(this.versionStart, task + 2);
    this.changeStart = grown(this.changeStart, task + 2);
    this.versionStart[task + 1] = this.versionStart[task]!;
    this.changeStart[task + 1] = this.changeStart[task]!;
    this.packed = task + 1;
  }

  private appendPacked(task: number, at: number, changes: readonly number[]): void {
    const version = this.versionStart[task + 1]!;
    this.ats = grown(this.ats, version + 1);
    this.ats[version] = at;
    this.versionStart[task + 1] = version + 1;
    const change = this.changeStart[task + 1]!;
    this.changes = grown(this.changes, 2 * change + changes.length);
    this.changes.set(changes, 2 * change);
    this.changeStart[task + 1] = change + changes.length / 2;
  }

  private appendTail(task: number, at: number, changes: readonly number[]): void {
    const tail = (this.tails[task] ??= { ats: [], changes: [] });
    tail.ats.push(at);
    tail.changes.push(...changes);
    if (++this.tailVersions > this.compactAfter) this.compact();
  }

  /** Merges the tails into the packed arrays, every task packed. */
  private compact(): void {
    const tasks = this.ids.length;
    const versionStart = new Int32Array(tasks + 1);
    const changeStart = new Int32Array(tasks + 1);
    for (let task = 0; task < tasks; task++) {
      const tail = this.tails[task];
      const packedChanges = task < this.packed ? this.changeStart[task + 1]! - this.changeStart[task]! : 0;
      versionStart[task + 1] = versionStart[task]! + this.versions(task);
      changeStart[task + 1] = changeStart[task]! + packedChanges + (tail?.changes.length ?? 0) / 2;
    }
    const ats = new Float64Array(versionStart[tasks]!);
    const changes = new Int32Array(2 * changeStart[tasks]!);
    for (let task = 0; task < tasks; task++) {
      const tail = this.tails[task];
      let version = versionStart[task]!;
      let change = 2 * changeStart[task]!;
      if (task < this.packed) {
        ats.set(this.ats.subarray(this.versionStart[task]!, this.versionStart[task + 1]!), version);
        version += this.packedVersions(task);
        const from = this.changes.subarray(2 * this.changeStart[task]!, 2 * this.changeStart[task + 1]!);
        changes.set(from, change);
        change += from.length;
      }
      if (tail === undefined) continue;
      ats.set(tail.ats, version);
      changes.set(tail.changes, change);
    }
    this.versionStart = versionStart;
    this.changeStart = changeStart;
    this.ats = ats;
    this.changes = changes;
    this.packed = tasks;
    this.tails = new Array<Tail | undefined>(tasks).fill(undefined);
    this.tailVersions = 0;
  }

  private trim(): void {
    this.versionStart = this.versionStart.slice(0, this.packed + 1);
    this.changeStart = this.changeStart.slice(0, this.packed + 1);
    this.ats = this.ats.slice(0, this.versionStart[this.packed]!);
    this.changes = this.changes.slice(0, 2 * this.changeStart[this.packed]!);
  }

  /** Task indexes in plan order by their latest plan (kept until a task or a plan is added). */
  private planOrder(): Int32Array {
    if (this.order !== undefined) return this.order;
    const keys = this.ids.map((id, task) => {
      const plan = this.planAt(id, this.versions(task))!;
      return { task, id, planId: plan['planId'] as string, number: plan['number'] as number };
    });
    keys.sort((a, b) => compareText(a.planId, b.planId) || a.number - b.number || compareText(a.id, b.id));
    this.order = Int32Array.from(keys, (key) => key.task);
    return this.order;
  }
}

/** The index in `times[from…to)` (ascending) of the last time at or before `at`; `from - 1` when none is. */
function lastAtOrBefore(times: ArrayLike<number>, from: number, to: number, at: number): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (times[middle]! <= at) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

function grown<T extends Int32Array | Float64Array>(array: T, length: number): T {
  if (length <= array.length) return array;
  const next = new (array.constructor as new (length: number) => T)(Math.max(length, array.length * 2));
  next.set(array);
  return next;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
