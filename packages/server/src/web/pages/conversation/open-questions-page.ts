import type { ReformTaskContext } from '@duban/reform-task';
import { html } from '../../../html/html.ts';
import type { SafeHtml } from '../../../html/html.ts';
import { DAY_MS } from '@duban/reform-task';
import { shanghaiDateTime } from '../../../time/calendar.ts';
import { brief, taskHref } from '../../view/badges.ts';
import { actorLabel } from '../../view/labels.ts';
import { layout } from '../../view/layout.ts';
import type { Viewer } from '../../session/web-viewer.ts';

/** One question of a task's conversation still waiting for a unit's answer. */
export interface OpenQuestionRow {
  readonly taskId: string;
  readonly number: number;
  readonly taskText: string;
  readonly question: NonNullable<ReformTaskContext['openQuestions']>[number];
}

/**
 * 待答复问题: every question put in a task's conversation (工作联系) that a unit named has not yet
 * answered, the longest waiting first, each one click from the task's thread. Pure.
 */
export function openQuestionsPage(viewer: Viewer, rows: readonly OpenQuestionRow[], now: number): SafeHtml {
  return layout({
    title: '待答复问题',
    viewer,
    current: '/questions',
    body:
      rows.length === 0
        ? html`<p class="empty">目前没有待答复的问题。</p>`
        : html`<table class="stack">
<caption>工作联系中尚未答复的问题（${rows.length} 个，提出最早者在前）</caption>
<thead><tr><th scope="col">序号</th><th scope="col">任务内容</th><th scope="col">问题</th><th scope="col">提出</th><th scope="col">待答复单位</th><th scope="col">已等待</th></tr></thead>
<tbody>${rows.map(
            ({ taskId, number, taskText, question }) => html`<tr>
<td data-label="序号">${number}</td>
<td data-label="任务内容"><a href="${taskHref(taskId)}#thread">${brief(taskText)}</a></td>
<td data-label="问题">${brief(question.text, 120)}</td>
<td data-label="提出">${actorLabel({ role: question.askedBy.role, unit: question.askedBy.unit })}<p class="muted">${shanghaiDateTime(question.askedAt)}</p></td>
<td data-label="待答复单位">${question.waitingFor.join('、')}</td>
<td data-label="已等待">${Math.max(0, Math.floor((now - question.askedAt) / DAY_MS))} 天</td>
</tr>`,
          )}</tbody>
</table>`,
  });
}
