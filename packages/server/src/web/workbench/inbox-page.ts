import { verificationCheckLabels, verificationChecks } from '@duban/reform-task';
import type { InboxContents, InboxItem, InboxKind } from '../../tasks/inbox.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { shanghaiDateTime } from '../../time/calendar.ts';
import { CSRF_FIELD } from '../session/csrf.ts';
import type { Viewer } from '../session/web-viewer.ts';
import { KEY_FIELD, VERSION_FIELD } from '../forms/event-form-view.ts';
import { brief, stateBadge, taskHref } from '../view/badges.ts';
import type { Notice } from '../view/layout.ts';
import { layout } from '../view/layout.ts';

/** The events the inbox lets the office send in place. */
export const inboxEventTypes = ['VERIFY', 'REJECT', 'DECIDE_EXTENSION'] as const;
export type InboxEventType = (typeof inboxEventTypes)[number];

/** Items of one kind shown on the page; the rest are a link away (the task list, the queue). */
const SHOWN = 50;

const sections: readonly { kind: InboxKind; title: string; since: string; more?: string }[] = [
  { kind: 'toVerify', title: '待核验的报送', since: '报送时间', more: '/queue' },
  { kind: 'extensions', title: '待审批的延期申请', since: '申请时间' },
  { kind: 'unsigned', title: '交办后未签收的任务', since: '交办时间', more: '/tasks?state=assigned' },
  { kind: 'overdue', title: '逾期未完成的任务', since: '完成时限', more: '/tasks?overdue=1&sort=deadline' },
  { kind: 'openQuestions', title: '未答复的工作联系', since: '提问时间' },
];

/** The address an in-place form of the inbox posts to. Pure. */
export function inboxFormAction(taskId: string, type: InboxEventType): string {
  return `/inbox/tasks/${encodeURIComponent(taskId)}/events/${type}`;
}

/** The hidden fields every in-place form carries: anti-forgery token, the task version it was made for, its idempotency key. */
function hidden(viewer: Viewer, item: InboxItem, key: string, type: InboxEventType): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrf}"><input type="hidden" name="${VERSION_FIELD}" value="${item.task.version}"><input type="hidden" name="${KEY_FIELD}" value="${key}-${item.task.id}-${type}">`;
}

function actions(viewer: Viewer, item: InboxItem, key: string): SafeHtml | '' {
  const id = item.task.id;
  const n = item.task.task.number;
  if (item.kind === 'toVerify') {
    return html`<form class="inline-form" method="post" action="${inboxFormAction(id, 'VERIFY')}">${hidden(viewer, item, key, 'VERIFY')}
${verificationChecks.map(
      (check) => html`<fieldset class="choice"><legend>${verificationCheckLabels[check]}<span class="visually-hidden">（第${n}项）</span></legend><label><input type="radio" name="checks.${check}" value="true" required> 是</label> <label><input type="radio" name="checks.${check}" value="false"> 否</label></fieldset>`,
    )}
<label for="verify-${n}">核验意见（可不填）</label><input id="verify-${n}" name="opinion" maxlength="2000">
<button type="submit" class="primary small">核验通过<span class="visually-hidden">第${n}项</span></button></form>
<form class="inline-form" method="post" action="${inboxFormAction(id, 'REJECT')}">${hidden(viewer, item, key, 'REJECT')}
<fieldset class="choice"><legend>未达到的判断<span class="visually-hidden">（第${n}项）</span></legend>${verificationChecks.map(
      (check) => html`<label><input type="checkbox" name="failed" value="${check}"> ${verificationCheckLabels[check]}：否</label> `,
    )}</fieldset>
<label for="reject-${n}">退回理由</label><input id="reject-${n}" name="reason" required maxlength="2000">
<button type="submit" class="danger small">退回<span class="visually-hidden">第${n}项</span></button></form>`;
  }
  if (item.kind === 'extensions') {
    const pending = item.task.task.pendingExtension;
    return html`<form class="inline-form" method="post" action="${inboxFormAction(id, 'DECIDE_EXTENSION')}">${hidden(viewer, item, key, 'DECIDE_EXTENSION')}
<fieldset><legend>审批意见<span class="visually-hidden">（第${n}项）</span></legend>
<label><input type="radio" name="approve" value="true" required> 同意</label> <label><input type="radio" name="approve" value="false"> 不同意</label></fieldset>
<label for="until-${n}">延至（不填按申请${pending === null ? '' : `：${pending.until}`}）</label><input type="date" id="until-${n}" name="until">
<label for="note-${n}">说明（可不填）</label><input id="note-${n}" name="note" maxlength="2000">
<button type="submit" class="primary small">提交审批<span class="visually-hidden">第${n}项</span></button></form>`;
  }
  return '';
}

function detail(item: InboxItem): SafeHtml | string {
  const { task } = item.task;
  if (item.kind === 'toVerify' && task.reportedAt !== null) return '';
  if (item.kind === 'extensions' && task.pendingExtension !== null) {
    return html`<p class="muted">申请延至 ${task.pendingExtension.until}（${task.pendingExtension.requestedBy ?? '—'}）：${brief(task.pendingExtension.reason, 120)}</p>`;
  }
  if (item.kind === 'openQuestions') {
    return html`${(task.openQuestions ?? []).map((q) => html`<p class="muted">问：${brief(q.text, 120)}（待 ${q.waitingFor.join('、')} 答复）</p>`)}`;
  }
  return '';
}

function sinceText(kind: InboxKind, since: number | null, dueDate: string | null): string {
  if (kind === 'overdue') return dueDate ?? '—';
  return since === null ? '—' : shanghaiDateTime(since);
}

/**
 * The office's 待办: what waits for it, by kind, the longest waiting first, each item one step from
 * done — a report verified or sent back with a reason, an extension decided — in place, back here
 * with a confirmation. Parts not reported this cycle join when tasks have parts. Pure.
 */
export function inboxPage(model: { viewer: Viewer; inbox: InboxContents; key: string; notices?: readonly Notice[]; unsignedDays: number }): SafeHtml {
  const { viewer, inbox, key } = model;
  return layout({
    title: '待办',
    viewer,
    current: '/inbox',
    notices: model.notices ?? [],
    body: html`<nav class="inbox-counts" aria-label="待办分类"><ul>${sections.map(({ kind, title }) => html`<li><a href="#inbox-${kind}">${title} <strong>${inbox.counts[kind]}</strong></a></li>`)}<li><a href="/cycles">本期未报送 <strong>${inbox.counts.unreported}</strong></a></li></ul></nav>
${sections.map(({ kind, title, since, more }) => {
  const items = inbox.byKind[kind];
  const heading = kind === 'unsigned' ? `${title}（交办满 ${model.unsignedDays} 天）` : title;
  return html`<section class="inbox-section" aria-labelledby="inbox-${kind}">
<h2 id="inbox-${kind}">${heading}（${items.length} 项）</h2>
${
  items.length === 0
    ? html`<p class="empty">没有。</p>`
    : html`<table class="stack inbox">
<thead><tr><th scope="col">序号</th><th scope="col">任务内容</th><th scope="col">牵头单位</th><th scope="col">状态</th><th scope="col">${since}</th><th scope="col">办理</th></tr></thead>
<tbody>${items.slice(0, SHOWN).map(
        (item) => html`<tr>
<td data-label="序号">${item.task.task.number}</td>
<td data-label="任务内容"><a href="${taskHref(item.task.id)}">${brief(item.task.task.text)}</a>${detail(item)}</td>
<td data-label="牵头单位">${item.task.task.leadUnits.join('、')}</td>
<td data-label="状态">${stateBadge(item.task.snapshot.value)}</td>
<td data-label="${since}" class="nowrap">${sinceText(kind, item.since, item.task.task.dueDate)}</td>
<td data-label="办理">${actions(viewer, item, key) || html`<a class="button small" href="${taskHref(item.task.id)}#actions-h">办理<span class="visually-hidden">第${item.task.task.number}项</span></a>`}</td>
</tr>`,
      )}</tbody>
</table>${items.length > SHOWN ? html`<p>另有 ${items.length - SHOWN} 项${more === undefined ? '' : html`，<a href="${more}">查看全部</a>`}。</p>` : ''}`
}
</section>`;
})}`,
  });
}
