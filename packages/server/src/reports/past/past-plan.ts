import type { Engine, LeanEntry } from '@duban/engine';
import { CREATE_EVENT } from '@duban/engine';
import { foldActorTypes, foldPayloadTypes, foldReformTask } from '@duban/reform-task';
import type { FoldedTask, ReformTaskContext, ReformTaskSnapshot } from '@duban/reform-task';
import type { PlanFacts } from '../current-plan.ts';
import type { ReportTask } from '../report-task.ts';
import { comparePlanOrder, factFieldNames, taskFacts } from '../report-task.ts';
import { SharedValues } from '../shared-values.ts';
import { SupervisionFold } from '../supervision-events.ts';

const AUDIT_PAGE = 2000;
const PAYLOAD_TYPES = [...new Set([...foldPayloadTypes, ...SupervisionFold.payloadTypes])];

/** Besides the facts, what the fold's actions read of a context (counters and lists they extend). */
const FOLD_READS = ['rejectionsSinceInterview', 'urges', 'interviews', 'extensions'] as const;

/** A task as a pass keeps it: folded, with its entries' count and first and latest time. */
interface Kept {
  task: FoldedTask;
  version: number;
  assignedAt: number;
  changedAt: number;
}

/**
 * The plan as of a past instant, folded from the audit log without the state machine: one lean pass
 * (seq, instance, type, states, time, and only the payloads and actors the fold reads), each reform
 * task's entry folded by `foldReformTask`, the supervision facts by `SupervisionFold`. Entries stamped
 * after the instant are left out, as a replay leaves them out. Does IO; holds the tasks, never the log.
 */
export class PastPlan {
  constructor(private readonly engine: Engine) {}

  /** The tasks' facts and the supervision facts as of `at` (epoch ms), as `PlanReader.replay` gives them. */
  async facts(at: number): Promise<PlanFacts> {
    // Only the facts and what the fold reads are kept between entries: a whole context is several times their size.
    const values = new SharedValues();
    const slim = (context: ReformTaskContext): ReformTaskContext => {
      const kept: Record<string, unknown> = {};
      for (const field of factFieldNames) kept[field] = context[field];
      for (const field of FOLD_READS) kept[field] = context[field];
      kept['leadUnits'] = values.share(context.leadUnits);
      kept['responsibleUnits'] = values.share(context.responsibleUnits);
      kept['collectives'] = values.share(context.collectives);
      kept['part'] = values.share(context.part);
      kept['planId'] = values.share(context.planId);
      return kept as ReformTaskContext;
    };
    const { tasks, events } = await this.pass(at, slim);
    return { tasks: tasks.map((task) => taskFacts(task)).sort(comparePlanOrder), events, asOf: at };
  }

  /** Whole tasks (every field of their context) in plan order as of `at` (epoch ms). */
  async tasks(at: number): Promise<ReportTask[]> {
    return (await this.pass(at, (context) => context)).tasks.sort(comparePlanOrder);
  }

  private async pass(at: number, keep: (context: ReformTaskContext) => ReformTaskContext): Promise<{ tasks: ReportTask[]; events: PlanFacts['events'] }> {
    const fold = new SupervisionFold();
    const tasks = new Map<string, Kept>();
    for (let seq = 0; ; ) {
      const page = await this.engine.readLean(seq, AUDIT_PAGE, PAYLOAD_TYPES, foldActorTypes);
      for (const entry of page) {
        const entryAt = Date.parse(entry.at);
        if (entryAt <= at) {
          fold.add(entry);
          this.add(tasks, entry, entryAt, keep);
        }
        seq = entry.seq;
      }
      if (page.length < AUDIT_PAGE) break;
    }
    const list: ReportTask[] = [];
    for (const [id, { task, version, assignedAt, changedAt }] of tasks) {
      list.push({ id, version, snapshot: task as unknown as ReformTaskSnapshot, task: task.context, assignedAt, changedAt });
    }
    return { tasks: list, events: fold.events };
  }

  private add(tasks: Map<string, Kept>, entry: LeanEntry, at: number, keep: (context: ReformTaskContext) => ReformTaskContext): void {
    const folded = { type: entry.type, payload: entry.payload, actor: entry.actor, at, from: entry.from, to: entry.to };
    if (entry.type === CREATE_EVENT) {
      // Only reform tasks: other workflows' instances (the reporting cycles) are no report's tasks.
      if ((entry.payload as { workflow?: unknown } | null)?.workflow !== 'reform-task') return;
      const task = foldReformTask(undefined, folded);
      tasks.set(entry.instanceId, { task: { ...task, context: keep(task.context) }, version: entry.version, assignedAt: at, changedAt: at });
      return;
    }
    const kept = tasks.get(entry.instanceId);
    if (kept === undefined) return;
    const task = foldReformTask(kept.task, folded);
    kept.task = { ...task, context: keep(task.context) };
    kept.version = entry.version;
    kept.changedAt = at;
  }
}
