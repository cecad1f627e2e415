import type { TaskView } from '@duban/reform-task';
import { eventLabels, lightLabels, stateLabels } from '@duban/reform-task';
import type { SimulatedClock } from '../time/clock.ts';
import type { FireReport } from '../jobs/scheduler.ts';

/** What the demo script needs: the API's URL, a token per actor, the clock to move and the timers to fire. */
export interface DemoContext {
  readonly baseUrl: string;
  readonly clock: SimulatedClock;
  /** Fires the timers due at the clock's time (the scheduler's round, run now). */
  readonly fireTimers: () => Promise<FireReport | undefined>;
  /** A token for `office`, `reviewer` or a unit's name. */
  readonly tokenFor: (who: string) => string;
  readonly say: (line: string) => void;
}

/** The units that act in the script; `demo` issues each a token. */
export const DEMO_UNITS = [
  '市水务局',
  '市工信局',
  '市政务服务和公共资源交易中心',
  '市市场监管局',
  '市林草局',
  '市发改委',
  '市人社局',
  '市司法局',
  '独山子区人民政府',
] as const;

const PLAN_ID = 'karamay-2023-fangguanfu';
const task = (n: number) => `${PLAN_ID}.${String(n).padStart(3, '0')}`;

class ApiError extends Error {}

/**
 * Plays the scripted demo (演示数据 / DEMO) through the public HTTP API: tasks started and
 * progressed, reported, verified and closed (one commended), rejected and reworked, overdue through
 * the timers, escalated to an interview and recorded, referred for accountability; prints a Chinese
 * narrative of each step and returns the final tasks. Does IO (HTTP).
 */
export async function playDemo(ctx: DemoContext): Promise<TaskView[]> {
  const { say } = ctx;
  const day = (iso: string) => ctx.clock.advanceTo(`${iso}+08:00`);
  const stamp = () => ctx.clock.now().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: 'long', day: 'numeric' });

  const send = async (who: string, n: number, type: string, payload: Record<string, unknown> = {}): Promise<TaskView> => {
    const response = await fetch(`${ctx.baseUrl}/api/tasks/${task(n)}/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ctx.tokenFor(who)}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type, ...payload }),
    });
    const body = (await response.json()) as { task?: TaskView; detail?: string };
    if (!response.ok || body.task === undefined) throw new ApiError(`demo step ${type} on task ${n} by ${who} failed: HTTP ${response.status} ${body.detail ?? ''}`);
    const t = body.task;
    const label = eventLabels[type as keyof typeof eventLabels] ?? type;
    say(`  ${stamp()}  任务${String(n).padEnd(3)} ${label}（${who === 'office' ? '领导小组办公室' : who}）→ ${t.stateLabel}，${t.lightLabel}`);
    return t;
  };

  const fire = async (what: string) => {
    const report = await ctx.fireTimers();
    const fired = report?.fired ?? [];
    const byType = new Map<string, number[]>();
    for (const e of fired) byType.set(e.type, [...(byType.get(e.type) ?? []), Number(e.instanceId.slice(-3))]);
    say(`  ${stamp()}  系统定时器（${what}）：${fired.length === 0 ? '无到期事项' : [...byType].map(([type, ns]) => `${eventLabels[type as keyof typeof eventLabels] ?? type} ${ns.length} 项（任务${ns.join('、')}）`).join('；')}`);
  };

  say('【演示数据 / DEMO】以下为脚本生成的演示数据，非真实督办记录。');
  say(`${stamp()}：已导入《克拉玛依市2023年“放管服”改革工作要点》71 项任务，全部为“已交办”。`);

  say('\n第一步　牵头单位签收启动');
  day('2023-05-11T09:30:00');
  for (const [who, n] of [
    ['市水务局', 7], ['市工信局', 41], ['市政务服务和公共资源交易中心', 51], ['市市场监管局', 12], ['市市场监管局', 14],
    ['市林草局', 8], ['市发改委', 28], ['市人社局', 58], ['市司法局', 35], ['市发改委', 1],
  ] as const) await send(who, n, 'START', { note: '已签收，明确专人负责' });

  say('\n第二步　报送进展（“各区人民政府”的成员单位也可报送）');
  day('2023-05-15T16:00:00');
  await send('市水务局', 7, 'PROGRESS', { summary: '已完成招标文件范本修订，正在征求意见', percent: 60 });
  await send('独山子区人民政府', 1, 'PROGRESS', { summary: '独山子区已梳理市场准入隐性壁垒投诉渠道', percent: 30 });
  const refused = await fetch(`${ctx.baseUrl}/api/tasks/${task(7)}/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ctx.tokenFor('市水务局')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'VERIFY' }),
  });
  say(`  ${stamp()}  任务7   核验通过（市水务局）→ 被拒绝 HTTP ${refused.status}：单位无权核验，未写入审计日志`);

  say('\n第三步　报送办结、核验通过、销号并予以表扬');
  day('2023-05-18T10:00:00');
  await send('市政务服务和公共资源交易中心', 51, 'REPORT', {
    summary: '“不见面”开标及远程异地评标场地、设施已配备到位并试运行',
    evidence: [{ title: '场地设施验收报告', ref: 'KZW-2023-051' }],
  });
  day('2023-05-19T15:00:00');
  await send('office', 51, 'VERIFY', { opinion: '经现场核查，设施运行正常' });
  await send('office', 51, 'CLOSE', { note: '提前高质量完成', commend: true });

  say('\n第四步　报送被退回，整改后再次报送');
  day('2023-05-20T11:00:00');
  await send('市市场监管局', 12, 'REPORT', { summary: '登记管理配套政策已落实', evidence: [{ title: '工作总结' }] });
  day('2023-05-22T09:00:00');
  await send('office', 12, 'REJECT', { reason: '佐证材料不全，缺少登记注册业务规范文本' });
  day('2023-05-24T17:00:00');
  await send('市市场监管局', 12, 'PROGRESS', { summary: '已补充登记注册业务规范文本', percent: 100 });
  day('2023-05-26T10:00:00');
  await send('市市场监管局', 12, 'REPORT', {
    summary: '登记管理配套政策已落实，业务规范已印发',
    evidence: [{ title: '登记注册业务规范', ref: '克市监〔2023〕12号' }, { title: '工作总结' }],
  });
  day('2023-05-27T10:00:00');
  await send('office', 12, 'VERIFY', { opinion: '材料齐全，予以核验' });
  await send('office', 12, 'CLOSE', { note: '整改后完成' });

  say('\n第五步　督办未签收的任务');
  day('2023-05-27T15:00:00');
  await send('office', 54, 'URGE', { message: '请抓紧签收，确保5月底前完成热线管理办法制定' });

  say('\n第六步　临近完成时限：系统预警（黄灯）');
  day('2023-05-29T09:00:00');
  await fire('5月29日');
  day('2023-05-30T10:00:00');
  await send('市水务局', 7, 'REPORT', { summary: '招标投标程序优化措施已落实', evidence: [{ title: '水利工程招标文件范本' }] });
  day('2023-05-31T16:00:00');
  await send('office', 7, 'VERIFY', { opinion: '按期完成' });

  say('\n第七步　超过完成时限：系统标记逾期（红灯）');
  day('2023-06-01T09:00:00');
  await fire('6月1日');

  say('\n第八步　逾期未签收：启动约谈并记录约谈情况');
  day('2023-06-02T09:00:00');
  await send('office', 54, 'ESCALATE', { reason: '逾期未签收、未报送，启动约谈' });
  day('2023-06-05T16:00:00');
  await send('office', 54, 'RECORD_INTERVIEW', {
    heldOn: '2023-06-05',
    attendees: ['市政务服务和公共资源交易中心主要负责人', '领导小组办公室'],
    findings: '对任务推进不力作出说明，承诺6月20日前完成整改',
    rectifyBy: '2023-06-20',
  });
  day('2023-06-06T10:00:00');
  await send('市政务服务和公共资源交易中心', 54, 'PROGRESS', { summary: '热线管理办法初稿已形成', percent: 50 });

  say('\n第九步　约谈后仍无进展：移交问责');
  day('2023-06-06T11:00:00');
  await send('office', 41, 'ESCALATE', { reason: '数字政府改革行动方案逾期未完成' });
  day('2023-06-09T10:00:00');
  await send('office', 41, 'REFER', { reason: '约谈后仍未提交行动方案', referredTo: '市纪委监委' });

  say('\n第十步　申请延期并获批准');
  day('2023-06-10T10:00:00');
  await send('市林草局', 8, 'REQUEST_EXTENSION', { until: '2023-07-31', reason: '需待自治区林草主管部门批复' });
  day('2023-06-12T10:00:00');
  await send('office', 8, 'DECIDE_EXTENSION', { approve: true, note: '同意延期至7月31日' });

  say('\n第十一步　6月底完成时限过后：系统批量标记逾期');
  day('2023-06-28T09:00:00');
  await fire('6月28日');
  day('2023-07-01T09:00:00');
  await fire('7月1日');

  return listAll(ctx.baseUrl, ctx.tokenFor('office'));
}

/** Every task through the paged list. */
async function listAll(baseUrl: string, token: string): Promise<TaskView[]> {
  const tasks: TaskView[] = [];
  let cursor: string | null = null;
  do {
    const response = await fetch(`${baseUrl}/api/tasks?limit=50${cursor === null ? '' : `&cursor=${cursor}`}`, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new ApiError(`listing tasks failed: HTTP ${response.status}`);
    const page = (await response.json()) as { items: TaskView[]; nextCursor: string | null };
    tasks.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return tasks;
}

/** The demo's closing summary: tasks by state and by light. Pure. */
export function demoSummary(tasks: readonly TaskView[]): string[] {
  const count = <K extends string>(key: (t: TaskView) => K) => {
    const counts = new Map<K, number>();
    for (const t of tasks) counts.set(key(t), (counts.get(key(t)) ?? 0) + 1);
    return counts;
  };
  const states = count((t) => t.state as keyof typeof stateLabels);
  const lights = count((t) => t.light);
  return [
    `共 ${tasks.length} 项任务`,
    `按状态：${[...states].map(([s, n]) => `${stateLabels[s] ?? s} ${n}`).join('，')}`,
    `按灯色：${(['red', 'yellow', 'green', 'none'] as const).filter((l) => lights.has(l)).map((l) => `${lightLabels[l]} ${lights.get(l)}`).join('，')}`,
    `逾期：${tasks.filter((t) => t.overdue).length} 项；被退回过：${tasks.filter((t) => t.rejections > 0).length} 项；被督办过：${tasks.filter((t) => t.urges > 0).length} 项`,
  ];
}
