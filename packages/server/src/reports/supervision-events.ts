import type { LeanEntry } from '@duban/engine';
import { CREATE_EVENT } from '@duban/engine';
import { endOfDayShanghai } from '@duban/reform-task';
import { SharedValues } from './shared-values.ts';

/** What the office's supervision counts, each read from one audit entry. */
export type SupervisionKind =
  | 'verified'
  | 'overdue'
  /** A deadline that had passed before the plan was imported (a late import): no rule scores it. */
  | 'overdue-before-import'
  | 'rejected'
  | 'urge'
  | 'interview'
  | 'referral'
  | 'commendation'
  | 'warning'
  | 'interview-held'
  | 'extension-approved'
  | 'instruction'
  /** A part (one unit of a task) that did not report in a reporting cycle: not read from the log's fold, but from the cycles' record (cycles/). */
  | 'unreported'
  /** One of the four judgements (四个是否) answered 是 at VERIFY; `detail` names it (policyUnderstood …). */
  | 'check-passed'
  /** One of the four judgements answered 否 at VERIFY, or named as failed by REJECT; `detail` names it. */
  | 'check-failed';

/** One supervision fact, with the task's parties as they stood when the entry was written. */
export interface SupervisionEvent {
  readonly kind: SupervisionKind;
  readonly seq: number;
  /** Epoch ms. */
  readonly at: number;
  readonly taskId: string;
  readonly number: number;
  readonly leadUnits: readonly string[];
  readonly responsibleUnits: readonly string[];
  /** Members of each collective unit named on the task (e.g. 各区人民政府). */
  readonly collectives: Readonly<Record<string, readonly string[]>>;
  /**
   * For `verified`: the verified report came within the limit in force (extensions count) and the task
   * had never gone overdue nor been escalated to an interview before it. False for every other kind.
   */
  readonly onTime: boolean;
  /** The reason, message or receiving body the entry carries, when it carries one. */
  readonly detail: string | null;
  /** For `overdue`: the limit in force that was passed (epoch ms); a unit whose part was done by then is not charged. */
  readonly limitAt?: number;
}

/** What a fold keeps of one reform task between its entries (the read model's checkpoint holds it). */
export interface TrackedTask {
  readonly number: number;
  leadUnits: readonly string[];
  responsibleUnits: readonly string[];
  collectives: Readonly<Record<string, readonly string[]>>;
  deadlineAt: number | null;
  /** The import, for a task imported after its deadline had passed. */
  readonly graceFrom: number | null;
  pendingUntil: string | null;
  lastReportAt: number | null;
  /** Went overdue or was escalated: nothing it completes later counts as on time. */
  blemished: boolean;
}

interface CreateInput {
  number: number;
  leadUnits: string[];
  responsibleUnits: string[];
  collectives?: Record<string, string[]>;
  deadline: { date: string | null };
  graceFrom?: number;
}

/**
 * The audit log folded into supervision facts, in seq order, keeping only reform-task instances.
 * Each instance's lead units (REASSIGN), units and limit in force as amended (AMEND), (approved extensions, interview
 * rectification dates) are followed entry by entry. Entries must be added in seq order; a fold can
 * be fed the log's tail as it grows. Pure (no IO).
 */
export class SupervisionFold {
  /** The entry types whose payload `add` reads: a reader of the log may leave out every other's (LeanEntry). */
  static readonly payloadTypes: readonly string[] = [
    CREATE_EVENT, 'VERIFY', 'REJECT', 'CLOSE', 'URGE', 'ESCALATE', 'RECORD_INTERVIEW', 'REFER', 'REQUEST_EXTENSION', 'DECIDE_EXTENSION', 'REASSIGN', 'AMEND', 'INSTRUCT',
  ];

  readonly events: SupervisionEvent[];
  private readonly tracked: Map<string, TrackedTask>;
  /** One copy of each distinct list of units and of collectives: many tasks name the same. */
  private readonly values: SharedValues;

  /** An empty fold, or one going on from a saved state (`tasks` and `events` are taken over, not copied; their unit lists already shared through `values`). */
  constructor(saved?: { readonly tasks: Map<string, TrackedTask>; readonly events: SupervisionEvent[]; readonly values: SharedValues }) {
    this.tracked = saved?.tasks ?? new Map();
    this.events = saved?.events ?? [];
    this.values = saved?.values ?? new SharedValues();
  }

  /** Each reform task folded so far, by instance id, as the fold holds it now (it changes as entries are added). */
  get tasks(): ReadonlyMap<string, Readonly<TrackedTask>> {
    return this.tracked;
  }

  /** Folds one entry in (an AuditEntry, or a LeanEntry with the payloads of `payloadTypes`); returns whether it belongs to a reform task. */
  add(entry: LeanEntry): boolean {
    const at = Date.parse(entry.at);
    const payload = (entry.payload ?? {}) as Record<string, unknown>;
    if (entry.type === CREATE_EVENT) {
      if (payload['workflow'] !== 'reform-task') return false;
      const input = payload['input'] as CreateInput;
      this.tracked.set(entry.instanceId, {
        number: input.number,
        leadUnits: this.values.share(input.leadUnits),
        responsibleUnits: this.values.share(input.responsibleUnits),
        collectives: this.values.share(input.collectives ?? {}),
        deadlineAt: input.deadline.date === null ? null : endOfDayShanghai(input.deadline.date),
        graceFrom: input.graceFrom ?? null,
        pendingUntil: null,
        lastReportAt: null,
        blemished: false,
      });
      return true;
    }
    const task = this.tracked.get(entry.instanceId);
    if (task === undefined) return false;
    const emit = (kind: SupervisionKind, detail: string | null, onTime = false, limitAt: number | null = null) =>
      this.events.push({
        ...(limitAt === null ? {} : { limitAt }),
        kind,
        seq: entry.seq,
        at,
        taskId: entry.instanceId,
        number: task.number,
        leadUnits: task.leadUnits,
        responsibleUnits: task.responsibleUnits,
        collectives: task.collectives,
        onTime,
        detail,
      });
    switch (entry.type) {
      case 'REPORT':
        task.lastReportAt = at;
        break;
      case 'VERIFY': {
        const inTime = task.deadlineAt === null || (task.lastReportAt !== null && task.lastReportAt < task.deadlineAt);
        emit('verified', text(payload['opinion']), inTime && !task.blemished);
        const checks = payload['checks'];
        if (typeof checks === 'object' && checks !== null) {
          for (const [check, passed] of Object.entries(checks)) emit(passed === true ? 'check-passed' : 'check-failed', check);
        }
        break;
      }
      case 'REJECT':
        emit('rejected', text(payload['reason']));
        if (Array.isArray(payload['failed'])) for (const check of payload['failed']) emit('check-failed', text(check));
        break;
      case 'CLOSE':
        if (payload['commend'] === true) emit('commendation', text(payload['note']));
        break;
      case 'URGE':
        emit('urge', text(payload['message']));
        break;
      case 'WARN':
        emit('warning', null);
        break;
      case 'DEADLINE_PASSED':
        task.blemished = true;
        // The unit could not act on a plan not yet imported: passing that deadline costs it nothing.
        emit(task.graceFrom !== null && task.deadlineAt !== null && task.deadlineAt < task.graceFrom ? 'overdue-before-import' : 'overdue', null, false, task.deadlineAt);
        break;
      case 'ESCALATE':
        task.blemished = true;
        emit('interview', text(payload['reason']));
        break;
      case 'RECORD_INTERVIEW':
        task.deadlineAt = endOfDayShanghai(String(payload['rectifyBy']));
        emit('interview-held', text(payload['findings']));
        break;
      case 'REFER':
        emit('referral', text(payload['referredTo']));
        break;
      case 'REQUEST_EXTENSION':
        task.pendingUntil = text(payload['until']);
        break;
      case 'DECIDE_EXTENSION': {
        const approved = payload['approve'] === true;
        const until = approved ? (text(payload['until']) ?? task.pendingUntil) : null;
        if (until !== null) task.deadlineAt = endOfDayShanghai(until);
        if (approved) emit('extension-approved', until);
        task.pendingUntil = null;
        break;
      }
      case 'INSTRUCT':
        // Not the leader's name: a lean entry (the read model's) carries no actor, and the facts as of now must equal those replayed.
        emit('instruction', text(payload['text']));
        break;
      case 'REASSIGN':
        task.leadUnits = this.values.share(payload['leadUnits'] as string[]);
        break;
      case 'AMEND': {
        const { leadUnits, responsibleUnits, collectives, deadline } = payload as { leadUnits?: string[]; responsibleUnits?: string[]; collectives?: Record<string, string[]>; deadline?: { date: string | null } };
        if (leadUnits !== undefined) task.leadUnits = this.values.share(leadUnits);
        if (responsibleUnits !== undefined) task.responsibleUnits = this.values.share(responsibleUnits);
        if (collectives !== undefined) {
          const named = new Set([...task.leadUnits, ...task.responsibleUnits]);
          task.collectives = this.values.share(Object.fromEntries(Object.entries({ ...task.collectives, ...collectives }).filter(([unit]) => named.has(unit))));
        }
        if (deadline !== undefined) task.deadlineAt = deadline.date === null ? null : endOfDayShanghai(deadline.date);
        break;
      }
    }
    return true;
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
