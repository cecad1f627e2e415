import { unitKindSchema } from '@duban/plan';
import type { UnitKind } from '@duban/plan';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { unitKindLabels } from '../../units/unit-change-rules.ts';
import type { UnitView } from '../../units/unit-store.ts';
import type { Viewer } from '../session/web-viewer.ts';
import { csrfField, layout } from '../view/layout.ts';
import type { Notice } from '../view/layout.ts';

/** A refused form: which one (`add`, `kind:<unit>`, `alias:<unit>`, `remove:<unit>`, `members:<unit>`), the field at fault, its message, what was typed. */
export interface UnitFormFailure {
  readonly form: string;
  readonly field: string;
  readonly message: string;
  readonly typed: Readonly<Record<string, string>>;
}

const kinds = unitKindSchema.options;
const kindLabel = (kind: string) => unitKindLabels[kind as UnitKind] ?? kind;
const kindOptions = (selected?: string) => kinds.map((kind) => html`<option value="${kind}"${kind === selected ? ' selected' : ''}>${unitKindLabels[kind]}</option>`);

/** The page's address of a unit's forms: its name, escaped for a path. */
export const unitPath = (name: string) => `/admin/units/${encodeURIComponent(name)}`;

/**
 * 单位管理 (admins): every unit of the registry with its kind, aliases and (a collective's) members;
 * a form to add a unit, and on each unit forms to change its kind, add or remove an alias, and set a
 * collective's members. A refused form is shown again with what was typed and the message in
 * Chinese beside the field. Pure.
 */
export function adminUnitsPage(options: { viewer: Viewer; units: readonly UnitView[]; notices?: readonly Notice[]; failure?: UnitFormFailure }): SafeHtml {
  const { viewer, failure } = options;
  const typedIn = (form: string, field: string, otherwise = '') => (failure?.form === form ? (failure.typed[field] ?? otherwise) : otherwise);
  const errorAt = (form: string, field: string, id: string) => {
    if (failure?.form !== form || !(failure.field === field || failure.field.startsWith(`${field}.`))) return { attrs: html``, text: html`` };
    return { attrs: html` aria-invalid="true" aria-describedby="${id}-error"`, text: html`<p class="field-error" id="${id}-error">${failure.message}</p>` };
  };
  const otherError = (form: string, fields: readonly string[]) =>
    failure?.form === form && !fields.some((field) => failure.field === field || failure.field.startsWith(`${field}.`)) ? html`<p class="field-error" role="alert">${failure.message}</p>` : html``;
  const collectives = options.units.filter((unit) => unit.kind === 'collective');
  const addName = errorAt('add', 'name', 'new-unit-name');
  const addKind = errorAt('add', 'kind', 'new-unit-kind');
  const addAliases = errorAt('add', 'aliases', 'new-unit-aliases');
  const addMembers = errorAt('add', 'members', 'new-unit-members');
  return layout({
    title: '单位管理',
    viewer,
    current: '/admin/units',
    notices: options.notices ?? [],
    body: html`<section class="card"><h2>新增单位</h2>
<form method="post" action="/admin/units">${csrfField(viewer)}
<div class="field"><label for="new-unit-name">单位名称</label><input id="new-unit-name" name="name" required maxlength="100" value="${typedIn('add', 'name')}"${addName.attrs}>${addName.text}</div>
<div class="field"><label for="new-unit-kind">类别</label><select id="new-unit-kind" name="kind"${addKind.attrs}>${kindOptions(typedIn('add', 'kind', 'city-department'))}</select>${addKind.text}</div>
<div class="field"><label for="new-unit-aliases">别名（每行一个，可不填）</label><textarea id="new-unit-aliases" name="aliases" rows="2"${addAliases.attrs}>${typedIn('add', 'aliases')}</textarea>${addAliases.text}</div>
<div class="field"><label for="new-unit-members">成员单位（仅集合性单位，每行一个）</label><textarea id="new-unit-members" name="members" rows="2"${addMembers.attrs}>${typedIn('add', 'members')}</textarea>${addMembers.text}</div>
${otherError('add', ['name', 'kind', 'aliases', 'members'])}
<div class="actions"><button type="submit" class="primary">新增单位</button></div>
</form></section>
<section class="card"><h2>单位名录（${options.units.length} 个）</h2>
<table id="units"><thead><tr><th scope="col">单位名称</th><th scope="col">类别</th><th scope="col">别名</th><th scope="col">成员单位</th></tr></thead><tbody>
${options.units.map((unit, i) => {
  const path = unitPath(unit.name);
  const kind = errorAt(`kind:${unit.name}`, 'kind', `kind-${i}`);
  const alias = errorAt(`alias:${unit.name}`, 'addAliases', `alias-${i}`);
  const removeError = failure?.form === `remove:${unit.name}` ? html`<p class="field-error" role="alert">${failure.message}</p>` : html``;
  const members = errorAt(`members:${unit.name}`, 'members', `members-${i}`);
  return html`<tr id="unit-${i}"><th scope="row">${unit.name}</th>
<td><form method="post" action="${path}/kind">${csrfField(viewer)}<label for="kind-${i}" class="visually-hidden">类别</label><select id="kind-${i}" name="kind"${kind.attrs}>${kindOptions(typedIn(`kind:${unit.name}`, 'kind', unit.kind))}</select><button type="submit">保存类别</button>${kind.text}${otherError(`kind:${unit.name}`, ['kind'])}</form></td>
<td><ul class="aliases">${unit.aliases.map(
    (name) => html`<li>${name}<form method="post" action="${path}/aliases/remove" class="inline">${csrfField(viewer)}<input type="hidden" name="alias" value="${name}"><button type="submit" aria-label="删除别名 ${name}">删除</button></form></li>`,
  )}</ul>${removeError}
<form method="post" action="${path}/aliases">${csrfField(viewer)}<label for="alias-${i}" class="visually-hidden">新别名</label><input id="alias-${i}" name="alias" maxlength="100" placeholder="新别名" value="${typedIn(`alias:${unit.name}`, 'alias')}"${alias.attrs}><button type="submit">添加别名</button>${alias.text}${otherError(`alias:${unit.name}`, ['addAliases'])}</form></td>
<td>${unit.kind === 'collective'
    ? html`<form method="post" action="${path}/members">${csrfField(viewer)}<label for="members-${i}" class="visually-hidden">成员单位（每行一个）</label><textarea id="members-${i}" name="members" rows="${Math.max(2, unit.members.length)}"${members.attrs}>${typedIn(`members:${unit.name}`, 'members', unit.members.join('\n'))}</textarea><button type="submit">保存成员</button>${members.text}${otherError(`members:${unit.name}`, ['members'])}</form>`
    : html`<span class="muted">—</span>`}</td></tr>`;
})}
</tbody></table>
<p class="muted">${collectives.length} 个集合性单位（如“各区人民政府”）代表其成员单位；其成员只能是名录中已有的、非集合性的单位。类别：${kinds.map((kind) => kindLabel(kind)).join('、')}。</p></section>`,
  });
}
