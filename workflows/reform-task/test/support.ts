import type { Actor, InstanceState, JsonObject, StepResult } from '@duban/engine';
import { SYSTEM_ACTOR, start, step } from '@duban/engine';
import type { ReformTaskContext, ReformTaskEventType, ReformTaskInput } from '../src/index.ts';
import { reformTaskV1 } from '../src/index.ts';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
/** End of 2023-06-30 in Asia/Shanghai. */
export const DEADLINE = Date.parse('2023-06-30T16:00:00Z');
/** Twenty days before the deadline: nothing is due yet. */
export const EARLY = DEADLINE - 20 * DAY;
export const CREATED = EARLY - 10 * DAY;

export const DISTRICTS = ['独山子区人民政府', '克拉玛依区人民政府', '白碱滩区人民政府', '乌尔禾区人民政府'];

export type ActorKind = 'lead' | 'responsible' | 'district' | 'unrelated' | 'office' | 'leader' | 'reviewer' | 'admin' | 'system';

export const actors: Readonly<Record<ActorKind, Actor>> = {
  lead: { role: 'unit', unit: '市林草局' },
  responsible: { role: 'unit', unit: '市自然资源局' },
  district: { role: 'unit', unit: '白碱滩区人民政府' },
  unrelated: { role: 'unit', unit: '市卫健委' },
  office: { role: 'office', unit: null },
  leader: { role: 'leader', unit: null, account: { id: 7, name: '王副市长' } },
  reviewer: { role: 'reviewer', unit: null },
  admin: { role: 'admin', unit: null },
  system: SYSTEM_ACTOR,
};

export const actorKinds = Object.keys(actors) as ActorKind[];

export function taskInput(overrides: Partial<ReformTaskInput> = {}): ReformTaskInput {
  return {
    planId: 'karamay-2023-fangguanfu',
    number: 8,
    part: '一、持续深化简政放权',
    measure: '（二）深入推进行政审批制度改革。',
    text: '优化建设项目使用林、草地审批管理。',
    leadUnits: ['市林草局'],
    responsibleUnits: ['各区人民政府', '市自然资源局'],
    deadline: { text: '2023年6月底前', date: '2023-06-30', ongoing: false },
    collectives: { 各区人民政府: DISTRICTS },
    warningLeadDays: 3,
    escalateAfterDays: 30,
    maxRejections: 3,
    ...overrides,
  };
}

/** A payload each event accepts on the standard task. */
export const validPayloads: Readonly<Record<ReformTaskEventType, JsonObject>> = {
  START: { note: '已签收' },
  PROGRESS: { summary: '已完成审批流程梳理', percent: 40 },
  REPORT: { summary: '审批管理办法已印发', evidence: [{ title: '克林草发〔2023〕12号', ref: 'doc-12' }] },
  VERIFY: { opinion: '材料齐全' },
  REJECT: { reason: '佐证材料不足' },
  CLOSE: { note: '同意销号', commend: true },
  URGE: { message: '请加快推进' },
  ESCALATE: { reason: '推进缓慢' },
  RECORD_INTERVIEW: {
    heldOn: '2023-06-11',
    attendees: ['市林草局局长'],
    findings: '责任落实不到位',
    rectifyBy: '2023-07-15',
  },
  REFER: { reason: '整改不力', referredTo: '市纪委监委' },
  REQUEST_EXTENSION: { until: '2023-08-31', reason: '需自治区审批' },
  DECIDE_EXTENSION: { approve: true },
  REASSIGN: { leadUnits: ['市林草局', '市自然资源局'] },
  CANCEL: { reason: '任务已由上级调整' },
  AMEND: { reason: '市委深改委会议议定调整', deadline: { date: '2023-09-30' } },
  COMMENT: { text: '请补充区级落实情况', ask: ['白碱滩区人民政府'] },
  INSTRUCT: { text: '请市林草局主要负责同志亲自推动，月底前见到成效。' },
  ACKNOWLEDGE_PART: {},
  PART_PROGRESS: { summary: '本区已完成摸底', percent: 30 },
  PART_DONE: { summary: '本区审批事项已全部下放到位' },
  RETURN_PART: { unit: '独山子区人民政府', reason: '佐证材料不足' },
  WARN: {},
  DEADLINE_PASSED: {},
};

export type Move = readonly [type: ReformTaskEventType, actor: ActorKind, at: number, payload?: JsonObject];

/** A new task instance, created at CREATED. */
export function created(input: ReformTaskInput = taskInput()): InstanceState {
  return accepted(start(reformTaskV1, 'karamay-2023-fangguanfu.008', input, actors.admin, CREATED), 1);
}

/** Apply each move in turn; a refusal fails the test with the engine's reason. */
export function play(instance: InstanceState, moves: readonly Move[]): InstanceState {
  return moves.reduce((current, [type, actor, at, payload]) => send(current, type, actor, at, payload), instance);
}

export function send(instance: InstanceState, type: ReformTaskEventType, actor: ActorKind, at: number, payload?: JsonObject): InstanceState {
  const result = step(reformTaskV1, instance, type, payload ?? validPayloads[type], actors[actor], at);
  return accepted(result, instance.version + 1, `${type} by ${actor}`);
}

function accepted(result: StepResult, version: number, what = 'create'): InstanceState {
  if (!result.ok) throw new Error(`${what} was refused: ${result.error.message}`);
  return { instanceId: result.step.draft.instanceId, version, snapshot: result.step.snapshot };
}

export function contextOf(instance: InstanceState): ReformTaskContext {
  return instance.snapshot.context as ReformTaskContext;
}
