import type { Actor } from '../../packages/engine/src/index.ts';

/** One scripted event of a task's life, as a unit or the office would send it. */
export interface ScriptedEvent {
  readonly type: string;
  readonly payload: Record<string, unknown>;
  readonly actor: Actor;
}

const office: Actor = { role: 'office', unit: null };

/**
 * A plausible life of one task, varied by `variant`: start, progress reports, a report, sometimes a
 * rejection and rework, urges, verification and close. Every event is one the machine accepts in order.
 */
export function lifecycleScript(leadUnit: string, variant: number, progressCount: number): ScriptedEvent[] {
  const lead: Actor = { role: 'unit', unit: leadUnit };
  const events: ScriptedEvent[] = [{ type: 'START', payload: { note: '已签收，成立工作专班' }, actor: lead }];
  for (let i = 0; i < progressCount; i++) {
    events.push({ type: 'PROGRESS', payload: { summary: `第${i + 1}次进展：已完成阶段性工作，正在推进下一步。`, percent: Math.min(95, (i + 1) * 10) }, actor: lead });
    if (variant % 5 === 0 && i === 1) events.push({ type: 'URGE', payload: { message: '请加快推进进度' }, actor: office });
  }
  events.push({ type: 'REPORT', payload: { summary: '任务已完成', evidence: [{ title: '完成情况报告', ref: `DOC-${variant}` }] }, actor: lead });
  if (variant % 3 === 0) {
    events.push({ type: 'REJECT', payload: { reason: '佐证材料不完整' }, actor: office });
    events.push({ type: 'PROGRESS', payload: { summary: '已补充佐证材料' }, actor: lead });
    events.push({ type: 'REPORT', payload: { summary: '任务已完成（补充材料）', evidence: [{ title: '补充材料' }] }, actor: lead });
  }
  events.push({ type: 'VERIFY', payload: { opinion: '核验通过' }, actor: office });
  events.push({ type: 'CLOSE', payload: { commend: variant % 7 === 0 }, actor: office });
  return events;
}
