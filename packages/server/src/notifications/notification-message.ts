import type { AuditEntry } from '@duban/engine';
import type { ReformTaskContext } from '@duban/reform-task';
import { chineseDate } from '../time/calendar.ts';
import type { NotifiedEvent } from './notification-recipients.ts';

/** What a notification says, in Chinese. */
export interface NotificationText {
  readonly title: string;
  readonly body: string;
}

const BRIEF_CHARS = 40;

/**
 * The title and body of the notice an audit entry sends, written for the unit that reads it: which
 * task, what happened, what is expected of it. `task` is the task as it stands after the entry. Pure.
 */
export function notificationMessage(type: NotifiedEvent, entry: Pick<AuditEntry, 'payload' | 'actor'>, task: Pick<ReformTaskContext, 'number' | 'text' | 'dueDate'>): NotificationText {
  const p = entry.payload;
  const n = task.number;
  const subject = `第${n}项任务“${brief(task.text)}”`;
  const due = task.dueDate === null ? '' : chineseDate(task.dueDate);
  switch (type) {
    case 'URGE':
      return { title: `【督办】第${n}项任务`, body: `办公室对${subject}督办：${text(p['message'])}。请抓紧推进，及时报送进展。` };
    case 'WARN':
      return {
        title: `【预警】第${n}项任务临近完成时限`,
        body: `${subject}的完成时限为${due}，已进入预警期（黄灯）。请抓紧推进，按期报送办结。`,
      };
    case 'DEADLINE_PASSED':
      return {
        title: `【逾期】第${n}项任务已逾期`,
        body: `${subject}已超过完成时限${due}，尚未报送办结（红灯）。请尽快完成并报送办结；逾期仍未报送的，将按规定启动约谈。`,
      };
    case 'ESCALATE':
      return {
        title: `【约谈】第${n}项任务启动约谈`,
        body: `${subject}已${entry.actor.role === 'system' ? '由系统自动' : ''}启动约谈，事由：${text(p['reason'])}。请做好约谈准备。`,
      };
    case 'INSTRUCT': {
      const leader = entry.actor.account === undefined ? '领导' : `${entry.actor.account.name}`;
      return { title: `【领导批示】第${n}项任务`, body: `${leader}对${subject}作出批示：${text(p['text'])}。请认真抓好落实，并及时报送进展。` };
    }
    case 'REJECT':
      return { title: `【退回】第${n}项任务办结报送被退回`, body: `${subject}的办结报送被退回，理由：${text(p['reason'])}。请补充完善后重新报送。` };
    case 'RECORD_INTERVIEW':
      return {
        title: `【约谈记录】第${n}项任务`,
        body: `${subject}已于${chineseDate(text(p['heldOn']))}约谈，约谈情况：${text(p['findings'])}。整改期限为${chineseDate(text(p['rectifyBy']))}，请按期整改并报送办结。`,
      };
    case 'REFER':
      return { title: `【问责】第${n}项任务移交问责`, body: `${subject}因${text(p['reason'])}，已移交${text(p['referredTo'])}。` };
  }
}

function brief(taskText: string): string {
  const chars = [...taskText.trim()];
  return chars.length <= BRIEF_CHARS ? chars.join('') : `${chars.slice(0, BRIEF_CHARS).join('')}……`;
}

/** A payload field the workflow's schema guarantees is a string; trailing 。 dropped so sentences end once. */
function text(value: unknown): string {
  return String(value ?? '').replace(/[。.]+$/u, '');
}
