import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { channelLabels } from '../../notifications/channels/channel-settings.ts';
import type { DeliveryLogEntry } from '../../notifications/channels/delivery-log.ts';
import { shanghaiDateTime } from '../../time/calendar.ts';
import type { Viewer } from '../session/web-viewer.ts';
import { taskHref } from '../view/badges.ts';
import { layout } from '../view/layout.ts';

const statusLabels = { pending: '待发送', delivered: '已送达', failed: '失败', cancelled: '已取消' } as const;

/**
 * 推送记录 (office, reviewers, admins): the newest sends by e-mail and robot, with the unit, the
 * notice, where it went, its state, attempts and the last error; filters by state and channel. Pure.
 */
export function noticeDeliveriesPage(options: { viewer: Viewer; items: readonly DeliveryLogEntry[]; status?: string | undefined; channel?: string | undefined }): SafeHtml {
  const { viewer, items } = options;
  const option = (value: string, label: string, selected: string | undefined) => html`<option value="${value}"${value === (selected ?? '') ? ' selected' : ''}>${label}</option>`;
  return layout({
    title: '推送记录',
    viewer,
    current: '/notice-deliveries',
    body: html`<form class="filters" method="get" action="/notice-deliveries">
<div class="field"><label for="status">状态</label><select id="status" name="status">${option('', '全部', options.status)}${Object.entries(statusLabels).map(([value, label]) => option(value, label, options.status))}</select></div>
<div class="field"><label for="channel">渠道</label><select id="channel" name="channel">${option('', '全部', options.channel)}${Object.entries(channelLabels).map(([value, label]) => option(value, label, options.channel))}</select></div>
<div class="actions"><button type="submit" class="primary">筛选</button></div></form>
${
  items.length === 0
    ? html`<p class="empty">没有符合条件的推送。</p>`
    : html`<table id="deliveries"><thead><tr><th scope="col">时间</th><th scope="col">单位</th><th scope="col">通知</th><th scope="col">渠道与收件</th><th scope="col">状态</th><th scope="col">尝试</th><th scope="col">最近错误</th></tr></thead><tbody>${items.map(
        (d) => html`<tr class="delivery-${d.status}"><td>${shanghaiDateTime(d.createdAt)}</td><td>${d.unit}</td><td><a href="${taskHref(d.taskId)}">${d.title}</a></td><td>${channelLabels[d.channel]}${d.channel === 'email' ? html`<br><span class="mono">${d.recipient}</span>` : ''}</td><td>${statusLabels[d.status]}${
          d.status === 'pending' && d.attempts > 0 ? html`<br><span class="muted">下次 ${shanghaiDateTime(d.nextAttemptAt)}</span>` : d.deliveredAt === null ? '' : html`<br><span class="muted">${shanghaiDateTime(d.deliveredAt)}</span>`
        }</td><td>${d.attempts}</td><td class="mono">${d.lastError ?? ''}</td></tr>`,
      )}</tbody></table>`
}`,
  });
}
