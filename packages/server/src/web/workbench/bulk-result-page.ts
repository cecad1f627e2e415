import type { BulkResult } from '../../tasks/send-bulk.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import type { Viewer } from '../session/web-viewer.ts';
import { taskHref } from '../view/badges.ts';
import { layout } from '../view/layout.ts';
import type { Notice } from '../view/layout.ts';

/** What one task's outcome says to the office, in Chinese. Pure. */
function outcome(result: BulkResult): string {
  if (result.status === 200) return '已督办';
  const title = typeof result.problem?.['title'] === 'string' ? result.problem['title'] : '未能督办';
  return result.status === 404 ? '任务不存在或无权查看' : `未督办：${title}`;
}

/**
 * The outcome of urging many tasks with one message: one line a task (督办 recorded, or why not),
 * or, when the form was refused as a whole, what to correct. Pure.
 */
export function bulkResultPage(model: { viewer: Viewer; results: readonly (BulkResult & { number?: number | undefined })[]; message: string; refused?: readonly string[] }): SafeHtml {
  const done = model.results.filter((result) => result.status === 200).length;
  const notices: Notice[] =
    model.refused !== undefined
      ? [{ kind: 'error', text: '未督办任何任务：', details: model.refused }]
      : [{ kind: done === model.results.length ? 'success' : 'error', text: `已督办 ${done} 项任务${done === model.results.length ? '' : `，${model.results.length - done} 项未督办（见下表）`}。` }];
  return layout({
    title: '批量督办结果',
    viewer: model.viewer,
    current: '/tasks',
    notices,
    body: html`${model.message === '' ? '' : html`<p>督办意见：${model.message}</p>`}
${
  model.results.length === 0
    ? ''
    : html`<table class="stack">
<caption>每项任务的督办结果（${model.results.length} 项）</caption>
<thead><tr><th scope="col">任务</th><th scope="col">结果</th></tr></thead>
<tbody>${model.results.map(
        (result) => html`<tr class="${result.status === 200 ? 'ok' : 'refused'}">
<td data-label="任务">${result.number === undefined ? result.id : html`<a href="${taskHref(result.id)}">第 ${result.number} 项</a>`}</td>
<td data-label="结果">${outcome(result)}</td>
</tr>`,
      )}</tbody>
</table>`
}
<p><a href="/tasks">返回任务列表</a></p>`,
  });
}
