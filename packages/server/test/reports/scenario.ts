import type { Actor, AuditEntry, Engine as EngineType, JsonObject } from '@duban/engine';
import { Engine, openStore } from '@duban/engine';
import { instancesFromPlan, reformTaskV1 } from '@duban/reform-task';
import type { PlanTaskLike } from '@duban/reform-task';
import { freshDatabase } from '../../../engine/test/support/test-database.ts';
import { CurrentPlan, PlanReader } from '../../src/reports/index.ts';
import type { ReplayedFacts, ReportTask } from '../../src/reports/index.ts';

export const PLAN_ID = 'test-2023';
export const DISTRICTS = ['独山子区人民政府', '克拉玛依区人民政府', '白碱滩区人民政府', '乌尔禾区人民政府'];
const registry = { membersOf: (name: string) => (name === '各区人民政府' ? DISTRICTS : []) };

const PART_1 = '一、持续深化简政放权';
const PART_2 = '二、不断创新监管机制';
const PART_3 = '三、持续优化政务服务';

function task(number: number, part: string, measure: string, text: string, lead: string[], responsible: string[], deadline: [string, string, boolean]): PlanTaskLike {
  return { number, part, measure, text, leadUnits: lead, responsibleUnits: responsible, deadline: { text: deadline[0], date: deadline[1], ongoing: deadline[2] } };
}

/** A hand-made plan of eight tasks. */
export const plan = {
  tasks: [
    task(1, PART_1, '（一）构建公平规范的市场规则。', '推动市场准入负面清单事项全部实现网上办理。', ['市发改委'], ['各区人民政府', '市级各有关部门'], ['2023年6月底前', '2023-06-30', false]),
    task(2, PART_1, '（二）深入推进行政审批制度改革。', '全面推行告知承诺制。', ['市市场监管局'], ['市司法局'], ['2023年6月底前', '2023-06-30', false]),
    task(3, PART_2, '（七）推进公正监管。', '全面推行“双随机、一公开”监管。', ['市司法局'], ['各区人民政府'], ['2023年6月底前', '2023-06-30', false]),
    task(4, PART_2, '（八）创新包容审慎监管。', '推行社保业务“静默认证”。', ['市人社局'], ['市财政局'], ['2023年8月底前', '2023-08-31', false]),
    task(5, PART_3, '（十二）提升政务服务效能。', '推进“一件事一次办”。', ['市政务服务和公共资源交易中心'], ['各区人民政府'], ['2023年12月底前并长期坚持', '2023-12-31', true]),
    task(6, PART_3, '（十三）优化医保服务。', '推进医保业务跨省通办。', ['市医保局'], ['市财政局'], ['2023年9月底前', '2023-09-30', false]),
    task(7, PART_1, '（三）规范涉企收费。', '清理规范涉企收费项目。', ['市市场监管局'], ['市税务局'], ['2023年5月底前', '2023-05-31', false]),
    task(8, PART_3, '（十四）优化不动产登记。', '推行不动产登记“交房即交证”。', ['市自然资源局'], ['市住建局'], ['2023年8月15日前', '2023-08-15', false]),
  ],
};

export const office: Actor = { role: 'office', unit: null };
export const leader: Actor = { role: 'leader', unit: null, account: { id: 9, name: '王副市长' } };
const admin: Actor = { role: 'admin', unit: null };
const unit = (name: string): Actor => ({ role: 'unit', unit: name });

/** End of a Shanghai calendar day, minus one millisecond: the instant a day's report is as of. */
export const endOf = (date: string): Date => new Date(Date.parse(`${date}T16:00:00Z`) - 1);
/** Report date A: the end of 2023-08-31 (Asia/Shanghai). */
export const DATE_A = endOf('2023-08-31');
/** Report date B: the end of 2023-10-31 (Asia/Shanghai). */
export const DATE_B = endOf('2023-10-31');

export const id = (n: number): string => `${PLAN_ID}.${String(n).padStart(3, '0')}`;

/**
 * Drives the real engine through the scenario (every step commented with the audit seq it writes).
 * All times are UTC; 02:00Z is 10:00 in Karamay's offices.
 */
export async function runScenario(): Promise<EngineType> {
  const engine = new Engine(await openStore(await freshDatabase()), [reformTaskV1]);
  const send = async (n: number, actor: Actor, at: string, type: string, payload: JsonObject = {}) => {
    await engine.send(id(n), { type, payload }, actor, new Date(at));
  };
  const fire = async (at: string, expected: string[]) => {
    const { fired } = await engine.fireDue(new Date(at));
    const got = fired.map((e: AuditEntry) => `${e.type} ${e.instanceId.slice(-1)}`);
    if (JSON.stringify(got) !== JSON.stringify(expected)) throw new Error(`timers at ${at}: fired ${got.join(', ')}, expected ${expected.join(', ')}`);
  };

  await engine.create(instancesFromPlan(plan, registry, { planId: PLAN_ID }), admin, new Date('2023-05-10T02:00:00Z')); // seq 1..8
  await send(7, unit('市市场监管局'), '2023-05-12T02:00:00Z', 'START'); // 9
  await send(1, unit('市发改委'), '2023-05-15T02:00:00Z', 'START'); // 10
  await send(2, unit('市市场监管局'), '2023-05-16T02:00:00Z', 'START'); // 11
  await send(3, unit('市司法局'), '2023-05-20T02:00:00Z', 'START'); // 12
  await send(5, unit('市政务服务和公共资源交易中心'), '2023-05-20T03:00:00Z', 'START'); // 13
  await send(1, unit('市发改委'), '2023-05-22T02:00:00Z', 'PROGRESS', { summary: '已完成清单梳理', percent: 40 }); // 14
  await fire('2023-05-29T01:00:00Z', ['WARN 7']); // 15
  await fire('2023-06-01T01:00:00Z', ['DEADLINE_PASSED 7']); // 16
  await send(4, unit('市人社局'), '2023-06-01T02:00:00Z', 'START'); // 17
  await send(2, unit('市市场监管局'), '2023-06-10T02:00:00Z', 'REPORT', { summary: '告知承诺制已推行', evidence: [{ title: '实施方案' }] }); // 18
  await send(7, unit('市市场监管局'), '2023-06-12T02:00:00Z', 'REPORT', { summary: '收费项目已清理', evidence: [{ title: '清理清单' }] }); // 19
  await send(2, office, '2023-06-15T02:00:00Z', 'REJECT', { reason: '佐证材料不足' }); // 20
  await send(1, unit('市发改委'), '2023-06-20T02:00:00Z', 'REPORT', { summary: '清单事项已全部实现网上办理', evidence: [{ title: '办理情况表' }] }); // 21
  await send(7, office, '2023-06-20T03:00:00Z', 'VERIFY', { opinion: '已完成，但逾期报送' }); // 22
  await send(1, office, '2023-06-25T02:00:00Z', 'VERIFY', { opinion: '材料齐全，同意' }); // 23
  await send(2, unit('市市场监管局'), '2023-06-26T02:00:00Z', 'REPORT', { summary: '已补充佐证材料', evidence: [{ title: '告知承诺书样本' }] }); // 24
  await send(3, office, '2023-06-26T03:00:00Z', 'URGE', { message: '请加快推进' }); // 25
  await fire('2023-06-28T01:00:00Z', ['WARN 3']); // 26
  await fire('2023-07-01T01:00:00Z', ['DEADLINE_PASSED 3']); // 27
  await send(2, office, '2023-07-03T02:00:00Z', 'VERIFY'); // 28
  await send(1, office, '2023-07-05T02:00:00Z', 'CLOSE', { note: '成效明显', commend: true }); // 29
  await send(6, office, '2023-07-10T02:00:00Z', 'CANCEL', { reason: '任务已由上级调整' }); // 30
  await fire('2023-07-31T01:00:00Z', ['ESCALATE 3']); // 31
  await fire('2023-08-13T01:00:00Z', ['WARN 8']); // 32
  await send(3, office, '2023-08-15T03:00:00Z', 'RECORD_INTERVIEW', { heldOn: '2023-08-15', attendees: ['市司法局局长'], findings: '推进迟缓', rectifyBy: '2023-09-30' }); // 33
  await fire('2023-08-16T01:00:00Z', ['DEADLINE_PASSED 8']); // 34
  await send(8, office, '2023-08-20T02:00:00Z', 'URGE', { message: '请立即启动' }); // 35
  await send(5, unit('克拉玛依区人民政府'), '2023-08-25T02:00:00Z', 'PROGRESS', { summary: '已在区政务大厅试点' }); // 36
  await fire('2023-08-29T01:00:00Z', ['WARN 4']); // 37
  await send(4, unit('市人社局'), '2023-08-30T02:00:00Z', 'REQUEST_EXTENSION', { until: '2023-10-31', reason: '需自治区统一部署' }); // 38
  // ---- date A: end of 2023-08-31
  await send(4, office, '2023-09-01T02:00:00Z', 'DECIDE_EXTENSION', { approve: true }); // 39
  await send(4, unit('市人社局'), '2023-09-10T02:00:00Z', 'PROGRESS', { summary: '已完成系统对接', percent: 60 }); // 40
  await fire('2023-09-15T01:00:00Z', ['ESCALATE 8']); // 41
  await fire('2023-09-28T01:00:00Z', ['WARN 3']); // 42
  await fire('2023-10-01T01:00:00Z', ['DEADLINE_PASSED 3']); // 43
  await send(3, office, '2023-10-10T02:00:00Z', 'REFER', { reason: '整改不力', referredTo: '市纪委监委' }); // 44
  await send(4, unit('市人社局'), '2023-10-20T02:00:00Z', 'REPORT', { summary: '系统已上线运行', evidence: [{ title: '上线通知' }] }); // 45
  await send(4, office, '2023-10-25T02:00:00Z', 'VERIFY', { opinion: '同意办结' }); // 46
  await send(5, leader, '2023-10-28T02:00:00Z', 'INSTRUCT', { text: '“一件事一次办”要在全市推开。' }); // 47
  // ---- date B: end of 2023-10-31
  await fire('2023-10-31T15:00:00Z', []);
  return engine;
}

/** The one reader of the plan, on the scenario's engine with a fresh read model. */
export const planReader = (engine: EngineType): PlanReader => new PlanReader(engine, new CurrentPlan(engine));
/** The plan and the supervision facts as they stood at `at` (epoch ms or a Date), replayed from the log. */
export const factsAt = (engine: EngineType, at: number | Date): Promise<ReplayedFacts> => planReader(engine).replay(new Date(at).getTime());
/** The stored tasks, in plan order. */
export const storedTasks = (engine: EngineType): Promise<ReportTask[]> => planReader(engine).tasks({ at: new Date(), now: true });
/** The stored tasks in plan order, `size` at a time, as the ledger as of `at` (taken as now) reads them. */
export const storedTasksInPieces = (engine: EngineType, at: Date, size: number): AsyncGenerator<ReportTask[]> => planReader(engine).pieces({ at, now: true }, size);
