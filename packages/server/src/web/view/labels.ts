import type { Actor } from '@duban/engine';
import { CREATE_EVENT } from '@duban/engine';
import { eventLabels, lightLabels, stateLabels } from '@duban/reform-task';

/** Chinese name of each role, including the system's. */
export const roleLabels: Readonly<Record<string, string>> = {
  unit: '责任单位',
  office: '领导小组办公室',
  leader: '领导',
  reviewer: '审查人员',
  admin: '系统管理员',
  system: '系统',
};

/** The Chinese label of an event type, the creation included; an unknown type as written. Pure. */
export function eventLabel(type: string): string {
  if (type === CREATE_EVENT) return '任务交办';
  if (Object.hasOwn(cycleEventLabels, type)) return cycleEventLabels[type]!;
  if (type === 'CIRCULAR') return '通报';
  return Object.hasOwn(eventLabels, type) ? eventLabels[type as keyof typeof eventLabels] : type;
}

/** The reporting cycles' entries and notices (信息报送). */
const cycleEventLabels: Readonly<Record<string, string>> = { SET_CYCLES: '设置报送周期', REMIND: '报送提醒', CYCLE_DUE: '催报' };

/** The Chinese label of a state; an unknown state as written. Pure. */
export function stateLabel(state: string | null): string {
  if (state === null) return '—';
  return Object.hasOwn(stateLabels, state) ? stateLabels[state as keyof typeof stateLabels] : state;
}

/** The Chinese label of a light. Pure. */
export function lightLabel(light: string): string {
  return Object.hasOwn(lightLabels, light) ? lightLabels[light as keyof typeof lightLabels] : light;
}

/** Who did something, as people say it: the unit's name, or the role, and the person's name when a person acted. Pure. */
export function actorLabel(actor: Actor): string {
  const who = actor.role === 'unit' && actor.unit !== null ? actor.unit : (roleLabels[actor.role] ?? actor.role);
  return actor.account === undefined ? who : `${who} ${actor.account.name}`;
}
