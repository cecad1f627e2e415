import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import type { ChannelView, NoticePerson } from '../../notifications/channels/channel-store.ts';
import { channelLabels, noticeChannelKinds, noticeTypes } from '../../notifications/channels/channel-settings.ts';
import type { Viewer } from '../session/web-viewer.ts';
import { eventLabel } from '../view/labels.ts';
import { csrfField, layout } from '../view/layout.ts';
import type { Notice } from '../view/layout.ts';

/** What the page shows beside the form after a refused post: the values typed and the message by field. */
export interface ChannelFormState {
  readonly typed: Readonly<Record<string, string | readonly string[]>>;
  readonly errors: Readonly<Record<string, string>>;
}

const one = (value: string | readonly string[] | undefined) => (typeof value === 'string' ? value : '');

/**
 * 通知渠道 (office and admins): the form that sets a unit's mailbox, 企业微信 robot or 钉钉 robot (with
 * which kinds of notice it takes), every channel set (robot URLs masked, secrets never shown) with its
 * counts and a remove button, and the persons who can be mailed their unit's notices with a switch each.
 * A refused post shows its message beside the field it is about. Pure.
 */
export function noticeChannelsPage(options: {
  viewer: Viewer;
  channels: readonly ChannelView[];
  people: readonly NoticePerson[];
  units: readonly string[];
  notices?: readonly Notice[];
  form?: ChannelFormState;
}): SafeHtml {
  const { viewer } = options;
  const typed = options.form?.typed ?? {};
  const errors = options.form?.errors ?? {};
  const checkedKinds = new Set(Array.isArray(typed['kinds']) ? (typed['kinds'] as string[]) : typeof typed['kinds'] === 'string' ? [typed['kinds']] : []);
  const field = (name: string, label: string, hint: string, input: SafeHtml) =>
    html`<div class="field${errors[name] === undefined ? '' : ' has-error'}"><label for="channel-${name}">${label}</label><p class="hint" id="channel-${name}-hint">${hint}</p>${input}${
      errors[name] === undefined ? '' : html`<p class="field-error" id="channel-${name}-error">${errors[name]}</p>`
    }</div>`;
  const aria = (name: string) => html` aria-describedby="channel-${name}-hint${errors[name] === undefined ? '' : ` channel-${name}-error`}"${errors[name] === undefined ? '' : html` aria-invalid="true"`}`;
  return layout({
    title: '通知渠道',
    viewer,
    current: '/notice-channels',
    notices: options.notices ?? [],
    body: html`<p class="muted">通知除在“我的通知”中列出外，还可发到单位邮箱和单位的企业微信、钉钉群机器人；发送在办理提交成功之后进行，失败会自动重试，结果见<a href="/notice-deliveries">推送记录</a>。</p>
<section class="card"><h2>设置渠道</h2>
<form method="post" action="/notice-channels">${csrfField(viewer)}
${field('unit', '单位', '单位全称或简称；“各区人民政府”等请为各成员单位分别设置', html`<input id="channel-unit" name="unit" list="unit-names" required value="${one(typed['unit'])}"${aria('unit')}><datalist id="unit-names">${options.units.map((u) => html`<option value="${u}">`)}</datalist>`)}
${field('channel', '渠道', '同一单位每种渠道一个，再次设置即替换', html`<select id="channel-channel" name="channel"${aria('channel')}>${noticeChannelKinds.map((k) => html`<option value="${k}"${one(typed['channel']) === k ? ' selected' : ''}>${channelLabels[k]}</option>`)}</select>`)}
${field('target', '邮箱地址或机器人地址', '电子邮件填单位邮箱；机器人填群机器人的 Webhook 地址（须 https）', html`<input id="channel-target" name="target" required maxlength="2000" value="${one(typed['target'])}"${aria('target')}>`)}
${field('secret', '钉钉加签密钥（选填）', '钉钉机器人“安全设置”中“加签”的 SEC 开头字符串；保存后不再显示', html`<input id="channel-secret" name="secret" type="password" autocomplete="off" maxlength="256"${aria('secret')}>`)}
${field('format', '企业微信消息格式', 'markdown 或纯文本', html`<select id="channel-format" name="format"${aria('format')}><option value="markdown">markdown</option><option value="text"${one(typed['format']) === 'text' ? ' selected' : ''}>纯文本</option></select>`)}
<fieldset class="field${errors['kinds'] === undefined ? '' : ' has-error'}"><legend>接收哪些通知（不选即全部）</legend>${noticeTypes.map(
      (type) => html`<label class="check"><input type="checkbox" name="kinds" value="${type}"${checkedKinds.has(type) ? ' checked' : ''}> ${eventLabel(type)}</label> `,
    )}${errors['kinds'] === undefined ? '' : html`<p class="field-error" id="channel-kinds-error">${errors['kinds']}</p>`}</fieldset>
<div class="actions"><button type="submit" class="primary">保存渠道</button></div>
</form></section>
<section class="card"><h2>已设置的渠道</h2>${
      options.channels.length === 0
        ? html`<p class="empty">尚未为任何单位设置渠道。</p>`
        : html`<table id="channels"><thead><tr><th scope="col">单位</th><th scope="col">渠道</th><th scope="col">地址</th><th scope="col">接收</th><th scope="col">待发 / 已送达 / 失败</th><th scope="col">操作</th></tr></thead><tbody>${options.channels.map(
            (c) => html`<tr><td>${c.unit}</td><td>${channelLabels[c.channel]}${c.secretSet ? '（已加签）' : ''}</td><td class="mono">${c.target}</td><td>${c.kinds === null ? '全部' : c.kinds.map(eventLabel).join('、')}</td><td>${c.deliveries.pending} / ${c.deliveries.delivered} / ${c.deliveries.failed}</td>
<td><form method="post" action="/notice-channels/remove" class="inline-form">${csrfField(viewer)}<input type="hidden" name="unit" value="${c.unit}"><input type="hidden" name="channel" value="${c.channel}"><button type="submit" class="secondary small-button">删除<span class="visually-hidden">${c.unit}的${channelLabels[c.channel]}</span></button></form></td></tr>`,
          )}</tbody></table>`
    }</section>
<section class="card"><h2>个人邮件</h2><p class="muted">有单位且登记了邮箱的账号，可另行接收本单位的通知邮件（接收的类别同单位邮箱渠道）。</p>${
      options.people.length === 0
        ? html`<p class="empty">没有登记了邮箱的单位账号。</p>`
        : html`<table id="people"><thead><tr><th scope="col">姓名</th><th scope="col">单位</th><th scope="col">邮箱</th><th scope="col">通知邮件</th></tr></thead><tbody>${options.people.map(
            (p) => html`<tr><td>${p.displayName}（${p.login}）</td><td>${p.unit}</td><td class="mono">${p.email}</td><td>${p.wantsEmail ? '接收' : '不接收'}
<form method="post" action="/notice-people/${p.accountId}" class="inline-form">${csrfField(viewer)}<input type="hidden" name="email" value="${p.wantsEmail ? 'off' : 'on'}"><button type="submit" class="secondary small-button">${p.wantsEmail ? '停止发送' : '开始发送'}<span class="visually-hidden">：${p.displayName}</span></button></form></td></tr>`,
          )}</tbody></table>`
    }</section>`,
  });
}
