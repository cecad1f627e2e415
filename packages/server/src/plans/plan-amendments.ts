import { createHash } from 'node:crypto';
import type { Actor, BatchEvent, BatchResult, CreateRequest, Engine, InstanceRecord } from '@duban/engine';
import type { PlanTask, PlanWarning, UnitRegistry, UnknownUnit } from '@duban/plan';
import { instancesFromPlan, isActiveState } from '@duban/reform-task';
import type { ReformTaskContext } from '@duban/reform-task';
import { PlanImportRefused } from './plan-import-refused.ts';
import type { PlanImporter, PlanSource, UnitRegistrySource } from './plan-importer.ts';
import type { PlanRecord, PlanRecords } from './plan-records.ts';

/** A task the office adds to a plan after its import (领导交办, 会议议定事项). */
export interface NewTask {
  /** Why, or on whose word (recorded in the task's creation entry as `addition.reason`). */
  readonly reason: string;
  /** Its number in the plan; after the plan's last task when absent. */
  readonly number?: number | undefined;
  readonly text: string;
  readonly part?: string | undefined;
  readonly measure?: string | undefined;
  readonly leadUnits: readonly string[];
  readonly responsibleUnits?: readonly string[] | undefined;
  readonly deadline: { readonly date: string | null; readonly text?: string | undefined; readonly ongoing?: boolean | undefined };
}

/** One field of a task the revised document writes otherwise. */
export interface FieldChange {
  readonly field: 'text' | 'deadline' | 'leadUnits' | 'responsibleUnits';
  readonly from: unknown;
  readonly to: unknown;
}

/**
 * One difference between a revised document and the plan as it stands: `add:<number>` a task the
 * plan lacks, `change:<task id>` a task written otherwise (field by field), `remove:<task id>` an
 * active task the document no longer has.
 */
export interface RevisionChange {
  readonly id: string;
  readonly kind: 'add' | 'change' | 'remove';
  readonly number: number;
  readonly taskId: string | null;
  readonly text: string;
  readonly fields: readonly FieldChange[];
}

/** What a revised document would change, and the plan's state it was read against (`basis`). */
export interface RevisionPreview {
  readonly planId: string;
  /** A digest of the plan's tasks as compared: applying refuses (409) when it has moved since. */
  readonly basis: string;
  readonly changes: readonly RevisionChange[];
  readonly unchanged: number;
  readonly unknownUnits: readonly UnknownUnit[];
  readonly warnings: readonly PlanWarning[];
  readonly source: { readonly name: string; readonly sha256: string };
}

/** What the office chose on a revision's preview. */
export interface RevisionChoices {
  readonly basis: string;
  /** The ids of the changes to apply (`add:12`, `change:plan.003`, `remove:plan.007`). */
  readonly apply: readonly string[];
  readonly reason: string;
}

/** What a revision or an addition wrote. */
export interface AmendmentResult {
  readonly created: string[];
  readonly amended: string[];
  readonly withdrawn: string[];
  readonly entries: number[];
  readonly replayed: boolean;
}

/** An Idempotency-Key already bound to its caller, and the request's fingerprint. */
export interface AmendmentKey {
  readonly key: string;
  readonly fingerprint: string;
}

interface Planned {
  readonly preview: RevisionPreview;
  readonly documentTasks: Map<string, PlanTask>;
  readonly instances: Map<string, InstanceRecord>;
  readonly record: PlanRecord;
}

/**
 * Amendments to a plan after its import, each an audited event: a task added (its creation entry
 * carries the reason), a revised document compared with the plan as it stands, and the changes the
 * office chose applied as AMEND, CANCEL (撤销) and new tasks, in one engine transaction
 * (`Engine.sendAll`): all or nothing. Refusals are PlanImportRefused. Does IO.
 */
export class PlanAmendments {
  constructor(
    private readonly engine: Engine,
    private readonly records: PlanRecords,
    private readonly directory: UnitRegistrySource,
    private readonly importer: Pick<PlanImporter, 'preview'>,
  ) {}

  private get units(): UnitRegistry {
    return this.directory.registry;
  }

  /** Adds one task to plan `planId` at `at` by `actor`: numbered after the plan's last, or as asked (409 when taken). */
  async addTask(planId: string, task: NewTask, actor: Actor, at: Date, key?: AmendmentKey): Promise<AmendmentResult> {
    const record = await this.planRecord(planId);
    // A retry of an addition made already: the first answer, though its number is taken now.
    const earlier = await this.earlier(key, actor, at);
    if (earlier !== undefined) return earlier;
    await this.directory.refresh();
    const instances = await this.tasksOf(planId);
    const taken = new Set([...instances.values()].map((instance) => contextOf(instance).number));
    const number = task.number ?? Math.max(0, ...taken) + 1;
    if (task.number !== undefined && taken.has(task.number)) {
      throw new PlanImportRefused('number-taken', `task number ${task.number} is taken in plan ${planId}`, [{ path: 'number', message: `本计划已有第${task.number}项任务，请换一个序号或不填（自动排在最后）` }]);
    }
    const planTask = this.resolved(
      {
        number,
        part: task.part ?? null,
        measure: task.measure ?? null,
        text: task.text,
        leadUnits: [...task.leadUnits],
        responsibleUnits: [...(task.responsibleUnits ?? [])],
        deadline: { date: task.deadline.date, text: task.deadline.text ?? '', ongoing: task.deadline.ongoing ?? false },
      },
      '',
    );
    const create = this.creation(planId, record, planTask, task.reason, at);
    return this.commit({ create: [create], send: [] }, actor, at, key);
  }

  /** Compares a revised document with plan `planId` as it stands; stores nothing. */
  async preview(planId: string, source: PlanSource, at: Date): Promise<RevisionPreview> {
    return (await this.plan(planId, source, at)).preview;
  }

  /**
   * Applies the chosen changes of a revised document, or refuses them all: 404 for no such plan, 409
   * when the plan moved since the preview (`basis`), 422 for a change not in the difference, a unit not
   * in the registry or a new task without a lead unit. A retry under the same key gets the first answer.
   */
  async apply(planId: string, source: PlanSource, choices: RevisionChoices, actor: Actor, at: Date, key?: AmendmentKey): Promise<AmendmentResult> {
    const planned = await this.plan(planId, source, at);
    const { preview } = planned;
    // Applied already under this key (so the plan has moved since): the first answer, not a refusal.
    const earlier = await this.earlier(key, actor, at);
    if (earlier !== undefined) return earlier;
    if (preview.basis !== choices.basis) {
      throw new PlanImportRefused('stale-revision', `plan ${planId} has changed since the preview (basis ${choices.basis}, now ${preview.basis})`, [
        { path: 'basis', message: '预览之后计划已有变动（任务被调整、新增或撤销），请重新上传修订稿并预览' },
      ]);
    }
    const byId = new Map(preview.changes.map((change) => [change.id, change]));
    const issues = choices.apply.flatMap((id, index) => (byId.has(id) ? [] : [{ path: `apply.${index}`, message: `“${id}”不是本次修订稿与计划的差异之一（或不是本计划的任务）` }]));
    if (issues.length > 0) throw new PlanImportRefused('invalid', `apply names changes not in the difference: ${choices.apply.filter((id) => !byId.has(id)).join(', ')}`, issues);
    const chosen = [...new Set(choices.apply)].map((id) => byId.get(id)!);
    const create: CreateRequest[] = [];
    const send: BatchEvent[] = [];
    for (const change of chosen) {
      if (change.kind === 'add') {
        const task = this.resolved(planned.documentTasks.get(change.id)!, change.id);
        create.push(this.creation(planId, planned.record, task, choices.reason, at));
      } else {
        const instance = planned.instances.get(change.taskId!)!;
        const event = change.kind === 'remove' ? { type: 'CANCEL', payload: { reason: choices.reason } } : { type: 'AMEND', payload: this.amendment(change, choices.reason) };
        send.push({ instanceId: instance.id, event, expectedVersion: instance.version });
      }
    }
    return this.commit({ create, send }, actor, at, key);
  }

  /** The first answer under `key` (another body under it: IdempotencyKeyReused), or undefined when nothing was done under it. Writes nothing. */
  private async earlier(key: AmendmentKey | undefined, actor: Actor, at: Date): Promise<AmendmentResult | undefined> {
    if (key === undefined) return undefined;
    const replay = await this.engine.sendAll({ create: [], send: [] }, actor, at, { idempotencyKey: key.key, fingerprint: key.fingerprint });
    return replay.replayed ? summary(replay) : undefined;
  }

  private async commit(batch: { create: CreateRequest[]; send: BatchEvent[] }, actor: Actor, at: Date, key: AmendmentKey | undefined): Promise<AmendmentResult> {
    const result = await this.engine.sendAll(batch, actor, at, key === undefined ? {} : { idempotencyKey: key.key, fingerprint: key.fingerprint });
    return summary(result);
  }

  private async plan(planId: string, source: PlanSource, at: Date): Promise<Planned> {
    const record = await this.planRecord(planId);
    const document = await this.importer.preview(source, at);
    const instances = await this.tasksOf(planId);
    const canonical = (names: readonly string[]) => [...new Set(names.map((name) => this.units.canonical(name)))];
    const remaining = new Map([...instances.values()].map((instance) => [instance.id, instance]));
    const byNumber = new Map([...instances.values()].map((instance) => [contextOf(instance).number, instance]));
    const changes: RevisionChange[] = [];
    const documentTasks = new Map<string, PlanTask>();
    let unchanged = 0;
    const unmatched: PlanTask[] = [];
    const compare = (written: PlanTask, instance: InstanceRecord) => {
      remaining.delete(instance.id);
      const task = contextOf(instance);
      // A task closed, referred or withdrawn is the record of what was done: a revision leaves it alone.
      if (!isActiveState(String(instance.snapshot.value))) return void unchanged++;
      const fields = fieldChanges(task, { ...written, leadUnits: canonical(written.leadUnits), responsibleUnits: canonical(written.responsibleUnits) });
      if (fields.length === 0) return void unchanged++;
      changes.push({ id: `change:${instance.id}`, kind: 'change', number: task.number, taskId: instance.id, text: written.text, fields });
      documentTasks.set(`change:${instance.id}`, written);
    };
    for (const written of document.plan.tasks) {
      const instance = byNumber.get(written.number);
      if (instance !== undefined && remaining.has(instance.id)) compare(written, instance);
      else unmatched.push(written);
    }
    const taken = new Set([...instances.values()].map((instance) => contextOf(instance).number));
    let next = Math.max(0, ...taken, ...document.plan.tasks.map((task) => task.number)) + 1;
    for (const written of unmatched) {
      const same = [...remaining.values()].find((instance) => normalized(contextOf(instance).text) === normalized(written.text));
      if (same !== undefined) {
        compare(written, same);
        continue;
      }
      const number = taken.has(written.number) ? next++ : written.number;
      taken.add(number);
      const id = `add:${number}`;
      changes.push({ id, kind: 'add', number, taskId: null, text: written.text, fields: [] });
      documentTasks.set(id, { ...written, number });
    }
    for (const instance of remaining.values()) {
      if (!isActiveState(String(instance.snapshot.value))) continue;
      const task = contextOf(instance);
      changes.push({ id: `remove:${instance.id}`, kind: 'remove', number: task.number, taskId: instance.id, text: task.text, fields: [] });
    }
    changes.sort((a, b) => a.number - b.number || a.kind.localeCompare(b.kind));
    const preview: RevisionPreview = {
      planId,
      basis: basisOf(instances),
      changes,
      unchanged,
      unknownUnits: document.unknownUnits,
      warnings: document.warnings,
      source: document.source,
    };
    return { preview, documentTasks, instances, record };
  }

  /** The plan's record; 404 (as a refusal) for a plan that does not exist. A plan whose tasks exist without a record has the default settings. */
  private async planRecord(planId: string): Promise<PlanRecord> {
    const record = await this.records.get(planId);
    if (record !== undefined) return record;
    if (!(await this.records.exists(planId))) {
      throw new PlanImportRefused('no-plan', `no plan ${planId}`, [{ path: 'planId', message: `计划“${planId}”不存在` }]);
    }
    return (await this.records.list()).find((plan) => plan.id === planId)!;
  }

  /** Every task of the plan, by id, as stored now. */
  private async tasksOf(planId: string): Promise<Map<string, InstanceRecord>> {
    const all = new Map<string, InstanceRecord>();
    for (let afterId: string | undefined; ; ) {
      const page = await this.engine.listInstances({ allTags: [`plan:${planId}`], limit: 500, ...(afterId === undefined ? {} : { afterId }) });
      for (const instance of page) all.set(instance.id, instance);
      if (page.length < 500) return all;
      afterId = page[page.length - 1]!.id;
    }
  }

  /** The task with its units as the registry names them; refuses unknown units, a collective lead and a task without a lead. */
  private resolved(task: PlanTask, change: string): PlanTask {
    const where = change === '' ? '' : `${change}.`;
    const issues: { path: string; message: string }[] = [];
    const names = (field: 'leadUnits' | 'responsibleUnits') =>
      [...new Set(task[field].map((written, index) => {
        const unit = this.units.get(written);
        if (unit === undefined) issues.push({ path: `${where}${field}.${index}`, message: `单位“${written}”不在单位名录中，请先在单位管理中新增或设为别名` });
        else if (field === 'leadUnits' && unit.kind === 'collective') issues.push({ path: `${where}${field}.${index}`, message: `“${unit.name}”是多个单位的统称，不能作为牵头单位` });
        return unit?.name ?? written;
      }))];
    const leadUnits = names('leadUnits');
    const responsibleUnits = names('responsibleUnits');
    if (leadUnits.length === 0) issues.push({ path: `${where}leadUnits`, message: `第${task.number}项没有牵头单位` });
    if (issues.length > 0) throw new PlanImportRefused('invalid', `the task names units that cannot be used: ${issues.map((issue) => issue.path).join(', ')}`, issues);
    return { ...task, leadUnits, responsibleUnits };
  }

  private creation(planId: string, record: PlanRecord, task: PlanTask, reason: string, at: Date): CreateRequest {
    const [planned] = instancesFromPlan({ tasks: [task] }, this.units, {
      planId,
      warningLeadDays: record.warningLeadDays,
      escalateAfterDays: record.escalateAfterDays,
      // A deadline already past when the task is added counts from the addition, as a late import's from the import.
      ...(record.lateFromImport ? { graceFrom: at.getTime() } : {}),
    });
    return { id: planned!.id, workflow: planned!.workflow, input: { ...planned!.input, addition: { reason } } };
  }

  /** AMEND's payload for a changed task: only the fields that differ, units by the registry's names. */
  private amendment(change: RevisionChange, reason: string): Record<string, unknown> {
    const payload: Record<string, unknown> = { reason };
    for (const { field, to } of change.fields) payload[field] = to;
    if (payload['leadUnits'] !== undefined || payload['responsibleUnits'] !== undefined) {
      const issues: { path: string; message: string }[] = [];
      for (const field of ['leadUnits', 'responsibleUnits'] as const) {
        const names = payload[field] as string[] | undefined;
        names?.forEach((name, index) => {
          const unit = this.units.get(name);
          if (unit === undefined) issues.push({ path: `${change.id}.${field}.${index}`, message: `单位“${name}”不在单位名录中，请先在单位管理中新增或设为别名` });
          else if (field === 'leadUnits' && unit.kind === 'collective') issues.push({ path: `${change.id}.${field}.${index}`, message: `“${unit.name}”是多个单位的统称，不能作为牵头单位` });
        });
      }
      if (issues.length > 0) throw new PlanImportRefused('invalid', `a change names units that cannot be used: ${issues.map((issue) => issue.path).join(', ')}`, issues);
      const named = [...((payload['leadUnits'] as string[] | undefined) ?? []), ...((payload['responsibleUnits'] as string[] | undefined) ?? [])];
      payload['collectives'] = Object.fromEntries(named.flatMap((name) => (this.units.membersOf(name).length > 0 ? [[name, this.units.membersOf(name)]] : [])));
    }
    return payload;
  }
}

function contextOf(instance: InstanceRecord): ReformTaskContext {
  return instance.snapshot.context as ReformTaskContext;
}

/** The fields a document writes otherwise than the task carries them. Pure. */
function fieldChanges(task: ReformTaskContext, written: PlanTask): FieldChange[] {
  const changes: FieldChange[] = [];
  if (normalized(task.text) !== normalized(written.text)) changes.push({ field: 'text', from: task.text, to: written.text });
  const deadline = { date: written.deadline.date, text: written.deadline.text, ongoing: written.deadline.ongoing };
  if (task.deadline.date !== deadline.date || task.deadline.ongoing !== deadline.ongoing || task.deadline.text !== deadline.text) {
    changes.push({ field: 'deadline', from: { date: task.deadline.date, text: task.deadline.text, ongoing: task.deadline.ongoing }, to: deadline });
  }
  if (!sameList(task.leadUnits, written.leadUnits)) changes.push({ field: 'leadUnits', from: task.leadUnits, to: written.leadUnits });
  if (!sameList(task.responsibleUnits, written.responsibleUnits)) changes.push({ field: 'responsibleUnits', from: task.responsibleUnits, to: written.responsibleUnits });
  return changes;
}

/** What a revision is compared against: each task's number, text, limit, units and whether it is still active. Pure. */
function basisOf(instances: ReadonlyMap<string, InstanceRecord>): string {
  const rows = [...instances.values()]
    .map((instance) => {
      const task = contextOf(instance);
      return JSON.stringify([instance.id, task.number, task.text, task.deadline, task.leadUnits, task.responsibleUnits, isActiveState(String(instance.snapshot.value))]);
    })
    .sort();
  return createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 32);
}

function summary(result: BatchResult): AmendmentResult {
  const kinds = (type: string) => result.entries.filter((entry) => entry.type === type).map((entry) => entry.instanceId);
  return { created: result.created, amended: kinds('AMEND'), withdrawn: kinds('CANCEL'), entries: result.entries.map((entry) => entry.seq), replayed: result.replayed };
}

function normalized(text: string): string {
  return text.replace(/\s+/g, '');
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}
