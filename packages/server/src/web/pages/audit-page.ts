import { shanghaiDateTime } from '../../time/calendar.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { layout } from '../view/layout.ts';
import type { LogCheck } from '../../audit/check-log.ts';
import type { BrokenFile } from '../../audit/verify-files.ts';
import type { Viewer } from '../session/web-viewer.ts';

function verdict(ok: boolean, good: string, bad: string): SafeHtml {
  return ok ? html`<span class="verdict ok">✔ ${good}</span>` : html`<span class="verdict bad">✘ ${bad}</span>`;
}

/** The proof form: an entry's seq and the log size to prove it in. Pure. */
export function proofForm(size: number, values: { seq?: string; size?: string } = {}, errors: Readonly<Record<string, string>> = {}): SafeHtml {
  const field = (name: 'seq' | 'size', label: string, hint: string, required: boolean) => {
    const error = errors[name];
    return html`<div class="field${error === undefined ? '' : ' has-error'}"><label for="proof-${name}">${label}</label><p class="hint" id="proof-${name}-hint">${hint}</p><input type="number" id="proof-${name}" name="${name}" min="1" max="${size}" step="1" inputmode="numeric" value="${values[name] ?? ''}"${required ? html` required` : ''} aria-describedby="proof-${name}-hint${error === undefined ? '' : ` proof-${name}-error`}"${error === undefined ? '' : html` aria-invalid="true"`}>${error === undefined ? '' : html`<p class="field-error" id="proof-${name}-error">${error}</p>`}</div>`;
  };
  return html`<form class="filters" method="get" action="/audit/proof">
${field('seq', '日志序号', `1 到 ${size} 之间`, true)}
${field('size', '日志规模（条目数）', '不填则为当前全部日志；可填某个检查点的条目数', false)}
<div class="actions"><button type="submit" class="primary">生成包含证明</button></div>
</form>`;
}

const problemLabels: Readonly<Record<BrokenFile['problem'], string>> = { missing: '文件缺失（已被删除）', altered: '内容与记录不符（被替换或截断）' };

/** Each entry whose recorded file is no longer what it recorded: the entry, the file's name and hash, what is wrong. Pure. */
function brokenFilesTable(broken: readonly BrokenFile[]): SafeHtml {
  return html`<table class="stack"><caption>与审计记录不符的佐证材料（${broken.length} 处）</caption><thead><tr><th scope="col">日志序号</th><th scope="col">文件名</th><th scope="col">记录的 SHA-256</th><th scope="col">问题</th></tr></thead><tbody>${broken.map(
    (file) => html`<tr><td data-label="日志序号"><a href="/audit/proof?seq=${file.seq}">${file.seq}</a></td><td data-label="文件名">${file.name}</td><td data-label="记录的 SHA-256"><code class="hash">${file.sha256}</code></td><td data-label="问题">${verdict(false, '', problemLabels[file.problem])}</td></tr>`,
  )}</tbody></table>`;
}

/** The reviewer's audit page: chain and checkpoint verification, the checkpoints, the proof form. Pure. */
export function auditPage(viewer: Viewer, check: LogCheck): SafeHtml {
  const { chain, signed } = check;
  const allRoots = check.checkpoints.every((c) => c.rootMatches);
  const { files } = check;
  const ok = chain.ok && allRoots && signed.ok && files.ok;
  return layout({
    title: '审计核验',
    viewer,
    current: '/audit',
    notices: [ok ? { kind: 'success', text: `审计日志完整：${check.size} 条记录的哈希链、全部 ${check.checkpoints.length} 个检查点与 ${files.files} 个佐证材料文件均核验通过。` } : { kind: 'error', text: '审计日志核验未通过，请查看下方明细。' }],
    body: html`<section aria-labelledby="verify-h"><h2 id="verify-h">核验结果</h2>
<dl class="facts">
<dt>日志条目</dt><dd>${check.size} 条</dd>
<dt>哈希链</dt><dd>${verdict(chain.ok, `逐条核验通过（${chain.entries} 条）`, `自第 ${chain.firstBadSeq ?? '?'} 条起不一致`)}${chain.reason === undefined ? '' : html`<p class="muted">${chain.reason}</p>`}</dd>
<dt>检查点根哈希</dt><dd>${check.checkpoints.length === 0 ? html`<span class="muted">尚无检查点</span>` : verdict(allRoots, `${check.checkpoints.length} 个检查点与日志一致`, '有检查点与日志不一致')}</dd>
<dt>检查点签名</dt><dd>${verdict(signed.ok, `签名有效（日志名 ${signed.keyOrigin}）`, '签名或日志核验失败')}${
      signed.reason === undefined ? '' : html`<p class="muted">${signed.reason}${signed.firstBadSeq === undefined ? '' : `（第 ${signed.firstBadSeq} 条）`}</p>`
    }</dd>
<dt>佐证材料文件</dt><dd>${files.files === 0 && files.ok ? html`<span class="muted">日志中尚无佐证材料</span>` : verdict(files.ok, `${files.files} 个文件逐一读出并核对哈希，均与记录一致`, `${files.broken.length} 处文件与记录不符`)}</dd>
</dl>${files.ok ? '' : brokenFilesTable(files.broken)}</section>
<section aria-labelledby="cp-h"><h2 id="cp-h">检查点</h2>${
      check.checkpoints.length === 0
        ? html`<p class="empty">尚未签发检查点。</p>`
        : html`<table class="stack"><caption>已签名的检查点（${check.checkpoints.length} 个）</caption><thead><tr><th scope="col">签发时间</th><th scope="col">条目数</th><th scope="col">根哈希</th><th scope="col">与日志一致</th><th scope="col">签名文本</th></tr></thead><tbody>${check.checkpoints.map(
            ({ checkpoint, rootMatches }) => html`<tr><td data-label="签发时间">${shanghaiDateTime(checkpoint.time)}</td><td data-label="条目数"><a href="/audit/proof?seq=${checkpoint.size}&amp;size=${checkpoint.size}">${checkpoint.size}</a></td><td data-label="根哈希"><code class="hash">${checkpoint.rootHash}</code></td><td data-label="与日志一致">${verdict(rootMatches, '一致', '不一致')}</td><td data-label="签名文本"><details><summary>查看</summary><pre>${checkpoint.text}</pre></details></td></tr>`,
          )}</tbody></table>`
    }</section>
<section aria-labelledby="proof-h"><h2 id="proof-h">条目包含证明</h2><p>证明某条日志记录包含在前若干条日志中，且未被改动（RFC 9162 Merkle 证明）。</p>${proofForm(check.size)}</section>`,
  });
}
