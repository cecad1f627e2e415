import type { Engine } from '@duban/engine';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';
import type { TaskFacts, TaskFactsContext } from './report-task.ts';
import { factFieldNames } from './report-task.ts';
import { SharedValues } from './shared-values.ts';
import type { SupervisionEvent, SupervisionKind, TrackedTask } from './supervision-events.ts';

/** Bumped whenever the rows below change shape: a checkpoint of another format is ignored and written again. */
export const CHECKPOINT_FORMAT = 1;
/**
 * The characters of JSON a part holds at most (but one row): each part is one JSON text. Small parts keep
 * each text out of V8's large-object space, which only a full collection frees: read in parts of
 * megabytes, the texts of a 100,000-task model would pile up there (a hundred megabytes and more).
 */
const PART_CHARS = 30_000;
/** Parts read by one query at start. */
const READ_PARTS = 100;

/** The read model as it stood after folding the log up to `seq`: what a checkpoint holds. */
export interface ReadModelState {
  readonly seq: number;
  /** Epoch ms of the latest entry folded in (-Infinity for none). */
  readonly latestAt: number;
  /** The supervision fold's tasks (see SupervisionFold). */
  readonly tracked: Map<string, TrackedTask>;
  readonly events: SupervisionEvent[];
  /** Each task's facts, in plan order. */
  readonly tasks: TaskFacts[];
  /** One copy of each unit list, collectives, plan id and part the state names. */
  readonly values: SharedValues;
}

/** A checkpoint that cannot be used, and why (the model then folds the whole log and writes a new one). */
export interface CheckpointRefused {
  readonly refused: string;
}

/** The state captured for a checkpoint: the fold's tasks encoded at once (they change as entries are added), the rest held until written. */
export interface CapturedState {
  readonly seq: number;
  readonly latestAt: number;
  readonly values: ValueTable;
  readonly trackedRows: unknown[][];
  readonly events: readonly SupervisionEvent[];
  readonly tasks: readonly TaskFacts[];
}

type PartKind = 'tracked' | 'events' | 'tasks';

interface Header {
  readonly format: number;
  readonly seq: number;
  /** The hash of the log's entry at `seq`: a log that is not the one folded (a restored or replaced database) has another. */
  readonly hash: string;
  readonly latestAt: number | null;
  readonly values: unknown[];
  /** Each part after the header: what it holds and how many rows. */
  readonly parts: [PartKind, number][];
}

/** The context fields whose values many tasks share: stored once in the header and named by index. */
const SHARED_FIELDS: ReadonlySet<string> = new Set(['planId', 'part', 'leadUnits', 'responsibleUnits', 'collectives', 'deadline']);

/**
 * The report read model's checkpoint (table `report_model_checkpoint`, migration 0021): `CurrentPlan`'s
 * state at one seq of the log, so that a server starting on a long log loads it and folds only the log's
 * tail. Derived data, rebuilt from the log whenever it is missing, of another format, damaged or not of
 * this log (the hash of its entry at that seq differs); never read by `audit verify`, never copied by
 * `migrate-db`. Does IO.
 */
export class ReadModelCheckpoints {
  constructor(private readonly db: Kysely<ServerDatabase>) {}

  /** The saved state, or why none can be used. */
  async load(engine: Engine): Promise<ReadModelState | CheckpointRefused> {
    const head = await this.db.selectFrom('report_model_checkpoint').select('body').where('part', '=', 0).executeTakeFirst();
    if (head === undefined) return { refused: 'none written yet' };
    try {
      const header = JSON.parse(head.body) as Header;
      if (header.format !== CHECKPOINT_FORMAT) return { refused: `format ${String(header.format)}, not ${CHECKPOINT_FORMAT}` };
      const [entry] = await engine.readAudit(header.seq - 1, 1);
      if (entry?.seq !== header.seq || entry.hash !== header.hash) return { refused: `the log's entry ${header.seq} is not the one it was written after` };
      const values = header.values;
      const shared = new SharedValues();
      for (const value of values) shared.share(value);
      const state: ReadModelState = { seq: header.seq, latestAt: header.latestAt ?? Number.NEGATIVE_INFINITY, tracked: new Map(), events: [], tasks: [], values: shared };
      for (let first = 1; first <= header.parts.length; first += READ_PARTS) {
        // Other requests (a health check) are answered between reads.
        if (first > 1) await new Promise((resolve) => setImmediate(resolve));
        const last = Math.min(header.parts.length, first + READ_PARTS - 1);
        const read = await this.db.selectFrom('report_model_checkpoint').select(['part', 'body']).where('part', '>=', first).where('part', '<=', last).orderBy('part').execute();
        for (let part = first; part <= last; part++) {
          const [kind, count] = header.parts[part - 1]!;
          const row = read[part - first];
          const rows = row === undefined || Number(row.part) !== part ? undefined : (JSON.parse(row.body) as unknown[][]);
          if (!Array.isArray(rows) || rows.length !== count) return { refused: `part ${part} is missing or damaged` };
          if (kind === 'tracked') for (const r of rows) state.tracked.set(r[0] as string, trackedOf(r, values));
          else if (kind === 'events') for (const r of rows) state.events.push(eventOf(r, values));
          else for (const r of rows) state.tasks.push(taskOf(r, values));
        }
      }
      return state;
    } catch (error) {
      return { refused: `damaged (${error instanceof Error ? error.message : String(error)})` };
    }
  }

  /**
   * Replaces the checkpoint by `state`, in one transaction. Each slice is turned into JSON between turns
   * of the event loop, so requests are answered meanwhile; only the writes hold the database.
   */
  async save(engine: Engine, state: CapturedState): Promise<void> {
    const [entry] = await engine.readAudit(state.seq - 1, 1);
    if (entry?.seq !== state.seq) throw new Error(`read model checkpoint: the log has no entry ${state.seq}`);
    const parts: [PartKind, number][] = [];
    const bodies: string[] = [];
    const add = async <T>(kind: PartKind, items: readonly T[], row: (item: T) => unknown[]) => {
      let texts: string[] = [];
      let chars = 0;
      const close = () => {
        parts.push([kind, texts.length]);
        bodies.push(`[${texts.join(',')}]`);
        texts = [];
        chars = 0;
      };
      for (let i = 0; i < items.length; i++) {
        const text = JSON.stringify(row(items[i]!));
        if (chars + text.length > PART_CHARS && texts.length > 0) close();
        texts.push(text);
        chars += text.length + 1;
        // Requests are answered between slices.
        if (i % 2000 === 1999) await new Promise((resolve) => setImmediate(resolve));
      }
      if (texts.length > 0) close();
    };
    await add('tracked', state.trackedRows, (row) => row);
    await add('events', state.events, (event) => eventRow(event, state.values));
    await add('tasks', state.tasks, (task) => taskRow(task, state.values));
    const header: Header = { format: CHECKPOINT_FORMAT, seq: state.seq, hash: entry.hash, latestAt: Number.isFinite(state.latestAt) ? state.latestAt : null, values: state.values.list, parts };
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('report_model_checkpoint').execute();
      await trx.insertInto('report_model_checkpoint').values({ part: 0, body: JSON.stringify(header) }).execute();
      for (let i = 0; i < bodies.length; i += 50) await trx.insertInto('report_model_checkpoint').values(bodies.slice(i, i + 50).map((body, j) => ({ part: i + j + 1, body }))).execute();
    });
  }
}

/**
 * The state to save, captured now: the fold's tasks are encoded at once (the fold changes them in place
 * as it goes on); the facts and the tasks are kept by reference (the model never changes them, it
 * replaces them). Pure.
 */
export function captureState(seq: number, latestAt: number, tracked: ReadonlyMap<string, Readonly<TrackedTask>>, events: readonly SupervisionEvent[], tasks: readonly TaskFacts[]): CapturedState {
  const values = new ValueTable();
  const trackedRows: unknown[][] = [];
  for (const [id, task] of tracked) {
    trackedRows.push([id, task.number, values.index(task.leadUnits), values.index(task.responsibleUnits), values.index(task.collectives), task.deadlineAt, task.graceFrom, task.pendingUntil, task.lastReportAt, task.blemished ? 1 : 0]);
  }
  return { seq, latestAt, values, trackedRows, events: events.slice(), tasks };
}

/** Each distinct value once, named by its index: by identity first (the model shares its values), then by JSON. */
class ValueTable {
  readonly list: unknown[] = [];
  private readonly byValue = new Map<unknown, number>();
  private readonly byJson = new Map<string, number>();

  /** The index of `value`; -1 for undefined. */
  index(value: unknown): number {
    if (value === undefined) return -1;
    const known = this.byValue.get(value);
    if (known !== undefined) return known;
    const json = JSON.stringify(value);
    let index = this.byJson.get(json);
    if (index === undefined) {
      index = this.list.length;
      this.list.push(value);
      this.byJson.set(json, index);
    }
    this.byValue.set(value, index);
    return index;
  }
}

function valueAt(values: readonly unknown[], index: unknown): any {
  return index === -1 ? undefined : values[index as number];
}

function trackedOf(r: unknown[], values: readonly unknown[]): TrackedTask {
  return {
    number: r[1] as number,
    leadUnits: valueAt(values, r[2]),
    responsibleUnits: valueAt(values, r[3]),
    collectives: valueAt(values, r[4]),
    deadlineAt: r[5] as number | null,
    graceFrom: r[6] as number | null,
    pendingUntil: r[7] as string | null,
    lastReportAt: r[8] as number | null,
    blemished: r[9] === 1,
  };
}

function eventRow(event: SupervisionEvent, values: ValueTable): unknown[] {
  return [event.kind, event.seq, event.at, event.taskId, event.number, values.index(event.leadUnits), values.index(event.responsibleUnits), values.index(event.collectives), event.onTime ? 1 : 0, event.detail, event.limitAt ?? null];
}

function eventOf(r: unknown[], values: readonly unknown[]): SupervisionEvent {
  const event = {
    kind: r[0] as SupervisionKind,
    seq: r[1] as number,
    at: r[2] as number,
    taskId: r[3] as string,
    number: r[4] as number,
    leadUnits: valueAt(values, r[5]),
    responsibleUnits: valueAt(values, r[6]),
    collectives: valueAt(values, r[7]),
    onTime: r[8] === 1,
    detail: r[9] as string | null,
  };
  return r[10] === null ? event : { limitAt: r[10] as number, ...event };
}

/** A task's facts as a row: id, version, state, status, times, which context fields are absent (a bit each), then the fields in `factFieldNames` order. */
function taskRow(task: TaskFacts, values: ValueTable): unknown[] {
  const context = task.task as unknown as Record<string, unknown>;
  let absent = 0;
  const fields = factFieldNames.map((field, bit) => {
    const value = context[field];
    if (value === undefined) absent |= 1 << bit;
    return SHARED_FIELDS.has(field) ? values.index(value) : (value ?? null);
  });
  return [task.id, task.version, task.snapshot.value, task.snapshot.status, task.assignedAt, task.changedAt, absent, ...fields];
}

function taskOf(r: unknown[], values: readonly unknown[]): TaskFacts {
  const absent = r[6] as number;
  const f = (bit: number): any => ((absent & (1 << bit)) !== 0 ? undefined : r[7 + bit]);
  const v = (bit: number): any => ((absent & (1 << bit)) !== 0 ? undefined : valueAt(values, r[7 + bit]));
  // One literal with every field, in `factFieldNames` order (checked below): V8 lays such objects out in
  // place, about 60% of the size of one whose fields are added one by one.
  const task: TaskFactsContext = {
    planId: v(0), number: f(1), part: v(2), text: f(3), leadUnits: v(4), responsibleUnits: v(5), collectives: v(6), deadline: v(7),
    dueDate: f(8), deadlineAt: f(9), warned: f(10), overdue: f(11), rejections: f(12), reportedAt: f(13), verifiedAt: f(14), graceFrom: f(15),
    pendingExtension: f(16), openQuestions: f(17), lastReport: f(18), parts: f(19),
  };
  return {
    id: r[0] as string,
    version: r[1] as number,
    snapshot: { value: r[2], status: r[3], context: task } as TaskFacts['snapshot'],
    task,
    assignedAt: r[4] as number | null,
    changedAt: r[5] as number | null,
  };
}

// The literal above names the fields by position: it must follow `factFieldNames` and the shared ones.
const LITERAL_FIELDS = ['planId', 'number', 'part', 'text', 'leadUnits', 'responsibleUnits', 'collectives', 'deadline', 'dueDate', 'deadlineAt', 'warned', 'overdue', 'rejections', 'reportedAt', 'verifiedAt', 'graceFrom', 'pendingExtension', 'openQuestions', 'lastReport', 'parts'];
if (LITERAL_FIELDS.join() !== factFieldNames.join() || LITERAL_FIELDS.some((field, bit) => SHARED_FIELDS.has(field) !== [0, 2, 4, 5, 6, 7].includes(bit))) {
  throw new Error('current-plan-checkpoint: taskOf does not follow factFieldNames; bump CHECKPOINT_FORMAT and update it');
}
