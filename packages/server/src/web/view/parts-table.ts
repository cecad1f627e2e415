import type { TaskView } from '@duban/reform-task';
import { endOfDayShanghai, partStateLabels, partsDone } from '@duban/reform-task';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { shanghaiDateTime } from '../../time/calendar.ts';

/**
 * Each unit's own part of the task (承担部分): who has acknowledged, reported and finished, and who
 * is behind (nothing reported yet, or not done past the limit in force). The viewer's own part is
 * marked; nothing when the task has no parts. Pure.
 */
export function partsTable(task: TaskView, viewerUnit: string | null, now: number): SafeHtml {
  const done = partsDone(task.parts);
  if (done === null) return html``;
  const late = task.dueDate !== null && now > endOfDayShanghai(task.dueDate);
  return html`<section aria-labelledby="parts-h" id="parts"><h2 id="parts-h">各单位承担部分（部分 ${done.done}/${done.total} 完成）</h2>
<div class="table-wrap"><table class="parts"><thead><tr><th scope="col">单位</th><th scope="col">状态</th><th scope="col">完成进度</th><th scope="col">最新进展</th><th scope="col">完成情况</th></tr></thead><tbody>${task.parts.map(
    (part) => html`<tr${part.unit === viewerUnit ? html` class="own-part"` : ''}><th scope="row">${part.unit}${part.unit === viewerUnit ? html` <span class="tag">本单位</span>` : ''}</th>
<td>${partStateLabels[part.state]}${part.state !== 'done' && part.returnedReason !== null ? html` <span class="muted">（已退回：${part.returnedReason}）</span>` : ''}${part.state !== 'done' && late ? html` <span class="overdue">逾期未完成</span>` : part.progressReports === 0 && part.state !== 'done' ? html` <span class="muted">尚未报送</span>` : ''}</td>
<td>${part.percent === null ? '—' : `${part.percent}%`}</td>
<td>${part.lastProgress === null ? '—' : html`${part.lastProgress.summary}<span class="muted"> · ${shanghaiDateTime(part.lastProgress.at)}</span>`}</td>
<td>${part.doneAt === null ? '—' : html`${part.doneSummary ?? ''}<span class="muted"> · ${shanghaiDateTime(part.doneAt)}</span>`}</td></tr>`,
  )}</tbody></table></div></section>`;
}
