import type { AuditEntry } from '@duban/engine';
import type { ReformTaskContext, TaskView } from '@duban/reform-task';
import { checkAnswersText } from '@duban/reform-task';
import { auditPayloadView } from '../view/audit-payload-view.ts';
import type { Supersession } from '../view/attachment-view.ts';
import { attachmentList, supersededFiles } from '../view/attachment-view.ts';
import { recordedFiles } from '../../files/task-files.ts';
import { lightBadge, stateBadge, unreportedBadge } from '../view/badges.ts';
import { partsTable } from '../view/parts-table.ts';
import type { FormEventType } from '../forms/event-forms.ts';
import { hasForm } from '../forms/event-forms.ts';
import type { EventFormState, FormChoices } from '../forms/event-form-view.ts';
import { eventFormView } from '../forms/event-form-view.ts';
import { shanghaiDateTime, shanghaiIso } from '../../time/calendar.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { actorLabel, eventLabel, stateLabel } from '../view/labels.ts';
import type { Notice } from '../view/layout.ts';
import { csrfField, layout } from '../view/layout.ts';
import type { Viewer } from '../session/web-viewer.ts';

/** Everything the task page shows. */
export interface TaskPageModel {
  readonly viewer: Viewer;
  readonly task: TaskView;
  /** The server's time (epoch ms): a part not done past the limit in force reads 逾期未完成. */
  readonly now: number;
  readonly history: readonly AuditEntry[];
  readonly diagram: SafeHtml;
  /** The workflow's transitions in words, for readers of the diagram who need text. */
  readonly transitions: readonly string[];
  /** The form that came back with errors, if any. */
  readonly refused?: { readonly type: FormEventType; readonly state: EventFormState };
  readonly notices?: readonly Notice[];
  /** Where the viewer came from in the navigation. */
  readonly current?: string;
  /** Fresh for each page: its forms' idempotency keys. */
  readonly formKey: string;
  /** Values a fresh form starts with (the rejected report, to rework it). */
  readonly prefill?: Partial<Record<FormEventType, EventFormState>>;
  /** The choices a form offers (the registry's units for REASSIGN). */
  readonly choices?: FormChoices;
  /** Questions of the task's conversation still waiting for a unit's answer. */
  readonly openQuestions: NonNullable<ReformTaskContext['openQuestions']>;
  /** Whether the viewer watches the task (关注); absent when the viewer keeps no watch list. */
  readonly watching?: boolean;
  /** The units whose part did not report in the latest closed reporting cycle (未报). */
  readonly unreported?: readonly string[];
}

function deadlineText(task: TaskView): string {
  const written = task.deadline.text || '未规定';
  return task.dueDate !== null && task.dueDate !== task.deadline.date ? `${written}（现行时限：${task.dueDate}）` : written;
}

function timeline(history: readonly AuditEntry[], superseded: ReadonlyMap<string, Supersession>): SafeHtml {
  return html`<ol class="timeline">${history.map(
    (entry) => html`<li id="entry-${entry.seq}">
<div class="timeline-head"><span class="event">${eventLabel(entry.type)}</span><span class="actor">${actorLabel(entry.actor)}</span><time datetime="${shanghaiIso(entry.at)}">${shanghaiDateTime(entry.at)}</time></div>
<p class="transition">${entry.from === null ? html`创建为 ${stateLabel(entry.to)}` : entry.from === entry.to ? html`状态不变（${stateLabel(entry.to)}）` : html`${stateLabel(entry.from)} → ${stateLabel(entry.to)}`}</p>
${auditPayloadView(entry, superseded)}
</li>`,
  )}</ol>`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function latest(history: readonly AuditEntry[], type: string): AuditEntry | undefined {
  return [...history].reverse().find((entry) => entry.type === type);
}

/** 报送人 after the latest progress: the unit's person who reported, when one is named. */
function reporter(progress: { readonly by: string | null; readonly person?: { readonly name: string } }): string {
  return progress.person === undefined ? '' : ` · 报送人 ${progress.by === null ? '' : `${progress.by} `}${progress.person.name}`;
}

/** A VERIFY entry's four judgements, when the office gave them. */
function checksOf(entry: AuditEntry): Record<string, unknown> | undefined {
  const checks = entry.payload['checks'];
  return typeof checks === 'object' && checks !== null && !Array.isArray(checks) ? (checks as Record<string, unknown>) : undefined;
}

function facts(task: TaskView, history: readonly AuditEntry[]): SafeHtml {
  const report = latest(history, 'REPORT');
  const rejection = latest(history, 'REJECT');
  const verification = latest(history, 'VERIFY');
  const closing = latest(history, 'CLOSE');
  return html`<dl class="facts">
<dt>所属部分</dt><dd>${task.part}</dd>
<dt>具体举措</dt><dd>${task.measure}</dd>
<dt>任务内容</dt><dd class="task-text">${task.text}</dd>
<dt>牵头单位</dt><dd>${task.leadUnits.join('、')}</dd>
<dt>责任单位</dt><dd>${task.responsibleUnits.length === 0 ? '—' : task.responsibleUnits.join('、')}</dd>
<dt>完成时限</dt><dd>${deadlineText(task)}</dd>
<dt>当前状态</dt><dd>${stateBadge(task.state)}</dd>
<dt>红黄绿灯</dt><dd>${lightBadge(task.light)}${task.overdueDays > 0 ? html` <span class="overdue">已逾期 ${task.overdueDays} 天</span>` : ''}</dd>
<dt>退回 / 督办</dt><dd>退回 ${task.rejections} 次，督办 ${task.urges} 次</dd>
${task.lastProgress === null ? '' : html`<dt>最新进展</dt><dd>${task.lastProgress.summary}${task.lastProgress.percent === null ? '' : `（完成 ${task.lastProgress.percent}%）`}<span class="muted"> · ${shanghaiDateTime(task.lastProgress.at)}${reporter(task.lastProgress)}</span></dd>`}
${report === undefined ? '' : html`<dt>办结报送</dt><dd>${shanghaiDateTime(report.at)} 报送${auditPayloadView(report)}</dd>`}
${rejection === undefined ? '' : html`<dt>最近退回</dt><dd>${shanghaiDateTime(rejection.at)} 退回${auditPayloadView(rejection)}</dd>`}
${verification === undefined || (rejection !== undefined && rejection.seq > verification.seq) ? '' : html`<dt>核验意见</dt><dd>${shanghaiDateTime(verification.at)} 核验通过：${text(verification.payload['opinion']) ?? '无意见'}${checksOf(verification) === undefined ? '' : html`<br><span class="judgements">四个是否：${checkAnswersText(checksOf(verification)!)}</span>`}</dd>`}
${closing === undefined ? '' : html`<dt>销号</dt><dd>${shanghaiDateTime(closing.at)} 销号${text(closing.payload['note']) === undefined ? '' : `：${text(closing.payload['note'])}`}${closing.payload['commend'] === true ? html` <span class="tag ok">予以表扬</span>` : ''}</dd>`}
${task.pendingExtension === null ? '' : html`<dt>延期申请</dt><dd>申请延期至 ${task.pendingExtension.until}：${task.pendingExtension.reason}（待审批）</dd>`}
</dl>`;
}

/** Every file of the task, newest entry last, with the link to download them all as one zip. Pure. */
function filesSection(taskId: string, history: readonly AuditEntry[], superseded: ReadonlyMap<string, Supersession>): SafeHtml {
  const withFiles = history.filter((entry) => recordedFiles(entry).length > 0);
  const count = new Set(withFiles.flatMap((entry) => recordedFiles(entry).map((file) => file.sha256))).size;
  return html`<section aria-labelledby="files-h" id="files"><h2 id="files-h">佐证材料</h2>${
    withFiles.length === 0
      ? html`<p class="empty">尚无佐证材料。进展报送、办结报送、申请延期和工作联系时可以上传文件。</p>`
      : html`<p><a href="/tasks/${encodeURIComponent(taskId)}/files.zip" download>全部下载（ZIP，${count} 个文件）</a></p><ol class="file-entries">${withFiles.map(
          (entry) => html`<li><span class="event">${eventLabel(entry.type)}</span> <span class="actor">${actorLabel(entry.actor)}</span> <time datetime="${shanghaiIso(entry.at)}">${shanghaiDateTime(entry.at)}</time>${attachmentList(taskId, recordedFiles(entry), superseded)}</li>`,
        )}</ol>`
  }</section>`;
}

/** The task's conversation (工作联系): its comments with their files, and the questions still waiting for a unit's answer. Pure. */
function conversationSection(open: TaskPageModel['openQuestions'], history: readonly AuditEntry[], superseded: ReadonlyMap<string, Supersession>): SafeHtml {
  const comments = history.filter((entry) => entry.type === 'COMMENT');
  return html`<section aria-labelledby="thread-h" id="thread"><h2 id="thread-h">工作联系</h2>${
    open.length === 0
      ? ''
      : html`<div class="notice notice-info open-questions" role="status"><p>待答复问题（${open.length}）</p><ul>${open.map(
          (q) => html`<li>${shanghaiDateTime(q.askedAt)} ${actorLabel({ role: q.askedBy.role, unit: q.askedBy.unit })}：${q.text}<span class="muted"> — 待 ${q.waitingFor.join('、')} 答复</span></li>`,
        )}</ul></div>`
  }${
    comments.length === 0
      ? html`<p class="empty">尚无工作联系。办公室和本任务的单位可以在“可办理事项”中发起工作联系，并指定需要答复的单位。</p>`
      : html`<ol class="timeline thread">${comments.map(
          (entry) => html`<li id="comment-${entry.seq}"><div class="timeline-head"><span class="actor">${actorLabel(entry.actor)}</span><time datetime="${shanghaiIso(entry.at)}">${shanghaiDateTime(entry.at)}</time></div>${auditPayloadView(entry, superseded)}</li>`,
        )}</ol>`
  }</section>`;
}

/** The leaders' instructions (领导批示), newest first, above everything else on the page; nothing when there is none. Pure. */
function instructions(history: readonly AuditEntry[]): SafeHtml {
  const given = history.filter((entry) => entry.type === 'INSTRUCT').reverse();
  if (given.length === 0) return html``;
  return html`<section aria-labelledby="instructions-h" class="instructions"><h2 id="instructions-h">领导批示</h2><ol class="instruction-list">${given.map(
    (entry) => html`<li><blockquote>${text(entry.payload['text']) ?? ''}</blockquote><p class="muted">${entry.actor.account?.name ?? actorLabel(entry.actor)} · <time datetime="${shanghaiIso(entry.at)}">${shanghaiDateTime(entry.at)}</time></p></li>`,
  )}</ol></section>`;
}

/** The star (关注): a form that adds the task to the viewer's watch list or takes it off. Pure. */
function watchForm(task: TaskView, viewer: Viewer, watching: boolean | undefined): SafeHtml {
  if (watching === undefined) return html``;
  return html`<form class="watch-form" method="post" action="/tasks/${task.id}/watch">${csrfField(viewer)}<input type="hidden" name="watch" value="${watching ? '0' : '1'}"><button type="submit" class="watch${watching ? ' watching' : ''}" aria-pressed="${watching ? 'true' : 'false'}">${watching ? '★ 已关注（取消关注）' : '☆ 关注此任务'}</button></form>`;
}

/** What the task waits for, said to the viewer it concerns: a report waiting for the office's verification. Pure. */
function waitingText(task: TaskView, viewer: Viewer): string | undefined {
  if (task.state !== 'reported') return undefined;
  if (viewer.principal.role === 'unit') return '已报送办结，等待办公室核验。核验通过或退回后，您会在办理记录中看到结果。';
  if (viewer.principal.role === 'office') return '单位已报送办结，等待核验：请核验通过或退回。';
  return '已报送办结，等待办公室核验。';
}

/** A task's page: its facts, the forms of the events the viewer may send now, the timeline, and the diagram folded away below. Pure. */
export function taskPage(model: TaskPageModel): SafeHtml {
  const { task, viewer } = model;
  const superseded = supersededFiles(model.history);
  const forms = task.allowedEvents.filter(hasForm);
  const status = waitingText(task, viewer);
  const actions = html`${status === undefined ? '' : html`<p class="notice notice-info" role="status">${status}</p>`}${
    forms.length === 0
      ? status === undefined
        ? html`<p class="muted">${viewer.principal.role === 'reviewer' ? '审查人员为只读身份，不办理任务。' : viewer.principal.role === 'leader' ? '领导可对仍在办理中的任务作出批示。' : '您当前没有可办理的事项。'}</p>`
        : ''
      : forms.map((type) => eventFormView(task.id, task.version, type, viewer.csrf, model.formKey, model.refused?.type === type ? model.refused.state : (model.prefill?.[type] ?? {}), model.choices))
  }`;
  return layout({
    title: `第${task.number}项任务`,
    viewer,
    ...(model.current === undefined ? {} : { current: model.current }),
    notices: model.notices ?? [],
    body: html`<p class="task-summary">${lightBadge(task.light)} ${stateBadge(task.state)}${unreportedBadge(model.unreported)} <span class="muted">任务编号 ${task.number}</span></p>${model.unreported === undefined || model.unreported.length === 0 ? '' : html`<p class="unreported-note">上一报送周期未报送进展（未报）：${model.unreported.join('、')}</p>`}${watchForm(task, viewer, model.watching)}
${instructions(model.history)}
<section aria-labelledby="facts-h"><h2 id="facts-h">任务信息</h2>${facts(task, model.history)}</section>
${partsTable(task, viewer.principal.role === 'unit' ? viewer.principal.unit : null, model.now)}
<section aria-labelledby="actions-h" class="actions-section"><h2 id="actions-h">可办理事项</h2>${actions}</section>
${filesSection(task.id, model.history, superseded)}
${conversationSection(model.openQuestions, model.history, superseded)}
<section aria-labelledby="timeline-h"><h2 id="timeline-h">办理记录</h2>${timeline(model.history, superseded)}</section>
<details class="diagram-details" id="diagram"><summary>查看办理流程图（当前状态“${stateLabel(task.state)}”）</summary>
<figure class="diagram" tabindex="0" aria-label="任务流程图（窄屏时可左右滚动）">${model.diagram}<figcaption>高亮为当前状态“${stateLabel(task.state)}”。</figcaption></figure>
<details class="transitions"><summary>以文字查看全部状态转换</summary><ul>${model.transitions.map((t) => html`<li>${t}</li>`)}</ul></details>
</details>`,
  });
}
