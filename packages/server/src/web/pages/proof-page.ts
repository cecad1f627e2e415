import type { AuditEntry, InclusionProof, SignedCheckpoint } from '@duban/engine';
import { taskHref } from '../view/badges.ts';
import { shanghaiDateTime } from '../../time/calendar.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { actorLabel, eventLabel } from '../view/labels.ts';
import { layout } from '../view/layout.ts';
import type { Viewer } from '../session/web-viewer.ts';
import { proofForm } from './audit-page.ts';

/** An inclusion proof and what it shows, or the form with what was wrong. Pure. */
export function proofPage(model: {
  viewer: Viewer;
  logSize: number;
  values: { seq?: string; size?: string };
  errors?: Readonly<Record<string, string>>;
  proof?: { proof: InclusionProof; entry: AuditEntry; verified: boolean; checkpoint?: SignedCheckpoint };
}): SafeHtml {
  const result = model.proof;
  return layout({
    title: '包含证明',
    viewer: model.viewer,
    current: '/audit',
    notices:
      result === undefined
        ? model.errors === undefined ? [] : [{ kind: 'error', text: '请按提示修改后重新生成。' }]
        : [result.verified ? { kind: 'success', text: `证明有效：第 ${result.proof.seq} 条记录包含在前 ${result.proof.size} 条日志中。` } : { kind: 'error', text: '证明无效：记录与日志根哈希不符。' }],
    body: html`${proofForm(model.logSize, model.values, model.errors ?? {})}
${
  result === undefined
    ? ''
    : html`<section aria-labelledby="entry-h"><h2 id="entry-h">第 ${result.entry.seq} 条记录</h2>
<dl class="facts">
<dt>事件</dt><dd>${eventLabel(result.entry.type)}（<a href="${taskHref(result.entry.instanceId)}">${result.entry.instanceId}</a>）</dd>
<dt>办理人</dt><dd>${actorLabel(result.entry.actor)}</dd>
<dt>时间</dt><dd>${shanghaiDateTime(result.entry.at)}</dd>
<dt>记录哈希（叶子）</dt><dd><code class="hash">${result.proof.leafHash}</code></dd>
<dt>前 ${result.proof.size} 条的根哈希</dt><dd><code class="hash">${result.proof.rootHash}</code></dd>
<dt>签名检查点</dt><dd>${result.checkpoint === undefined ? html`<span class="muted">没有条目数为 ${result.proof.size} 的检查点</span>` : result.checkpoint.rootHash === result.proof.rootHash ? html`<span class="verdict ok">✔ 与 ${shanghaiDateTime(result.checkpoint.time)} 签发的检查点一致</span>` : html`<span class="verdict bad">✘ 与检查点根哈希不一致</span>`}</dd>
</dl>
<h3>证明路径（${result.proof.proof.length} 个哈希）</h3>
<ol class="proof-path">${result.proof.proof.map((hash) => html`<li><code class="hash">${hash}</code></li>`)}</ol>
</section>`
}`,
  });
}
