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
 * task, what happened, what is expected of it, and who sent it when a person did (the account the
 * entry names, beside the office or unit: （发送人：办公室 李督查）). `task` is the task as it stands
 * after the entry. Pure.
 */
export function notificationMessage(type: NotifiedEvent, entry: Pick<AuditEntry, 'payload' | 'actor'>, task: Pick<ReformTaskContext, 'number' | 'text' | 'dueDate'>): NotificationText {
  const message = messageOf(type, entry, task);
  const sender = senderOf(entry.actor);
  return sender === undefined ? message : { title: message.title, body: `${message.body}（发送人：${sender}）` };
}

/** The person who sent an entry, beside the office or unit they acted for; undefined for a timer or a service. Pure. */
export function senderOf(actor: AuditEntry['actor']): string | undefined {
  if (actor.account === undefined) return undefined;
  const where = actor.role === 'office' ? '办公室' : actor.role === 'unit' ? actor.unit : null;
  return where === null ? actor.account.name : `${where} ${actor.account.name}`;
}

function messageOf(type: NotifiedEvent, entry: Pick<AuditEntry, 'payload' | 'actor'>, task: Pick<ReformTaskContext, 'number' | 'text' | 'dueDate'>): NotificationText {
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
    case 'COMMENT':
      return {
        title: `【工作联系】第${n}项任务请答复`,
        body: `${entry.actor.role === 'office' ? '办公室' : (entry.actor.unit ?? '有关方面')}就${subject}提出：${text(p['text'])}。请在任务页面“工作联系”中答复。`,
      };
    case 'VERIFY':
      return {
        title: `【核验通过】第${n}项任务办结报送已核验`,
        body: `${subject}的办结报送已通过核验${p['opinion'] === undefined ? '' : `，核验意见：${text(p['opinion'])}`}。待办公室销号。`,
      };
    case 'CLOSE':
      return p['commend'] === true
        ? { title: `【表扬】第${n}项任务办结销号并予表扬`, body: `${subject}已办结销号，办公室予以表扬${p['note'] === undefined ? '' : `：${text(p['note'])}`}。感谢各单位的努力。` }
        : { title: `【销号】第${n}项任务已办结销号`, body: `${subject}已办结销号${p['note'] === undefined ? '' : `，${text(p['note'])}`}。` };
    case 'AMEND': {
      const changed = (['text', 'deadline', 'leadUnits', 'responsibleUnits'] as const).filter((field) => p[field] !== undefined).map((field) => AMENDED[field]);
      return {
        title: `【任务调整】第${n}项任务`,
        body: `办公室调整了${subject}的${changed.join('、')}，依据：${text(p['reason'])}。${due === '' ? '' : `完成时限为${due}。`}请按调整后的要求推进。`,
      };
    }
    case 'PART_DONE':
      return {
        title: `【部分完成】第${n}项任务 ${entry.actor.unit ?? ''}承担部分已完成`,
        body: `${entry.actor.unit ?? '责任单位'}报告${subject}中本单位承担的部分已完成：${text(p['summary'])}。请在汇总办结报告时参考。`,
      };
    case 'RETURN_PART':
      return {
        title: `【部分退回】第${n}项任务 本单位承担部分被退回`,
        body: `${entry.actor.role === 'office' ? '办公室' : (entry.actor.unit ?? '牵头单位')}退回了${text(p['unit'])}在${subject}中承担的部分，理由：${text(p['reason'])}。请补充完善后重新报告本单位部分完成。`,
      };
    case 'DECIDE_EXTENSION': {
      const note = p['note'] === undefined ? '' : `，说明：${text(p['note'])}`;
      return p['approve'] === true
        ? { title: `【延期】第${n}项任务延期申请已批准`, body: `${subject}的延期申请已批准，完成时限调整为${due}${note}。请按新的时限完成并报送办结。` }
        : { title: `【延期】第${n}项任务延期申请未获批准`, body: `${subject}的延期申请未获批准${note}。完成时限仍为${due}，请按期完成并报送办结。` };
    }
  }
}

/** What an amendment changed, as its notice names it. */
const AMENDED = { text: '任务内容', deadline: '完成时限', leadUnits: '牵头单位', responsibleUnits: '责任单位' } as const;

function brief(taskText: string): string {
  const chars = [...taskText.trim()];
  return chars.length <= BRIEF_CHARS ? chars.join('') : `${chars.slice(0, BRIEF_CHARS).join('')}……`;
}

/** A payload field the workflow's schema guarantees is a string; trailing 。 dropped so sentences end once. */
function text(value: unknown): string {
  return String(value ?? '').replace(/[。.]+$/u, '');
}
