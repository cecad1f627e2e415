import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import type { IssuedCircular } from '../../reports/circular/circular-register.ts';
import { chineseDateRange, shanghaiDateTime } from '../../time/calendar.ts';
import { layout } from '../view/layout.ts';
import type { Notice } from '../view/layout.ts';
import type { Viewer } from '../session/web-viewer.ts';
import { roleLabels } from '../view/labels.ts';

function issuer(issued: IssuedCircular): string {
  const role = roleLabels[issued.issuedBy.role] ?? issued.issuedBy.role;
  return issued.issuedBy.account === undefined ? role : `${role} ${issued.issuedBy.account.name}`;
}

/** 已印发通报: the circulars issued (a unit: those naming it), newest first, each with its number, period and links. Pure. */
export function issuedCircularsPage(viewer: Viewer, issued: readonly IssuedCircular[]): SafeHtml {
  const own = viewer.principal.role === 'unit';
  return layout({
    title: '已印发通报',
    viewer,
    current: '/circulars',
    body: html`<p class="lead">${own ? `点名${viewer.principal.unit ?? ''}的已印发通报共 ${issued.length} 份。` : `已印发通报共 ${issued.length} 份。`}</p>
${issued.length === 0 ? html`<p class="empty">尚无已印发的通报。</p>` : ''}
<ul class="task-cards">${issued.map(
      (c) => html`<li class="task-card"><h3><a href="/circulars/${c.id}">${c.number} ${c.title}</a></h3>
<p class="muted">通报期间：${chineseDateRange(c.period.from, c.period.to)} · 印发：${shanghaiDateTime(c.issuedAt)}</p></li>`,
    )}</ul>`,
  });
}

/** One issued circular: its register entry (number, who, when, period, content hash, units sent to) and the printable text and Word download. Pure. */
export function issuedCircularPage(viewer: Viewer, issued: IssuedCircular, notices: readonly Notice[] = []): SafeHtml {
  return layout({
    title: issued.number,
    viewer,
    current: '/circulars',
    notices,
    body: html`<section aria-labelledby="issued-h" class="card"><h2 id="issued-h">${issued.title}</h2>
<dl class="facts">
<dt>文号</dt><dd>${issued.number}</dd>
<dt>通报期间</dt><dd>${chineseDateRange(issued.period.from, issued.period.to)}</dd>
<dt>印发</dt><dd>${shanghaiDateTime(issued.issuedAt)}，${issuer(issued)}</dd>
<dt>发送单位</dt><dd>${issued.units.length === 0 ? '—' : issued.units.join('、')}</dd>
<dt>内容摘要值</dt><dd><code class="hash">SHA-256 ${issued.contentSha256}</code></dd>
</dl>
${issued.circular.sections.overview.map((p) => html`<p>${p}</p>`)}
<p><a class="button primary" href="/circulars/${issued.id}/print">查看全文（可打印）</a> <a class="button" href="/circulars/${issued.id}.docx">下载 Word 文档（可编辑）</a></p>
</section>`,
  });
}
