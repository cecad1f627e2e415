import type { HttpProblem } from '../../http/http-problem.ts';
import { problemKinds } from '../../http/problems.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { layout } from '../view/layout.ts';
import type { Viewer } from '../session/web-viewer.ts';
import { chineseMessage } from '../forms/field-errors.ts';

/** What a person reads for each kind of refusal, beyond the problem's title. */
const advice: Readonly<Record<number, string>> = {
  400: '请求无法识别，请返回上一页重试。',
  404: '找不到该页面或任务，或您无权查看。请从任务列表进入。',
  413: '提交的内容过长，请精简后重试。',
  415: '请通过页面上的表单提交。',
  422: '请求参数不符合要求，请检查后重试。',
  429: '操作过于频繁，请一分钟后再试。',
  503: '系统暂时繁忙，请稍后重试；您的操作没有被保存。',
};

/** Whom to ask when refused: a unit (or reviewer) asks the office; the office and admins are not sent to themselves. Pure. */
function forbiddenAdvice(viewer: Viewer | undefined): string {
  switch (viewer?.principal.role) {
    case 'office':
      return '您当前的身份无权进行此操作。如确需此权限，请联系系统管理员。';
    case 'admin':
      return '您当前的身份无权进行此操作。';
    default:
      return '您当前的身份无权进行此操作。如需办理，请联系领导小组办公室。';
  }
}

/** The Chinese names of the fields of the pages' queries and forms, for an error page that names one. */
const fieldNames: Readonly<Record<string, string>> = {
  asOf: '截至日期',
  from: '起始日期',
  to: '截止日期',
  time: '时刻',
  state: '状态',
  light: '红黄绿灯',
  unit: '单位',
  part: '所属部分',
  overdue: '仅看逾期',
  done: '办理事项',
  page: '页码',
  seq: '日志序号',
  size: '日志规模',
  next: '登录后前往的地址',
  _version: '任务版本',
  _key: '表单编号',
};

/** `query.asOf` as a person reads it: 截至日期; a parameter no page has, as 参数“…”. Pure. */
function fieldName(path: string): string {
  const name = path.split('.').slice(1).join('.') || path;
  return fieldNames[name] ?? `参数“${name}”`;
}

/** A refusal or failure as a page, in Chinese, with a way back. Pure. */
export function errorPage(problem: HttpProblem, viewer: Viewer | undefined): SafeHtml {
  // The 404 page is the same for a task that does not exist and one the viewer may not see.
  const title = problem.status === 404 ? problemKinds.pageNotFound.title : problem.title;
  const errors = (problem.extensions['errors'] as { path: string; message: string }[] | undefined) ?? [];
  const text = (problem.status === 403 ? forbiddenAdvice(viewer) : advice[problem.status]) ?? (problem.status >= 500 ? '系统出现意外错误，已记录。请稍后重试；如仍失败，请联系管理员。' : '请求未能完成。');
  return layout({
    title,
    ...(viewer === undefined ? {} : { viewer }),
    notices: [{ kind: 'error', text, details: errors.map((e) => `${fieldName(e.path)}：${chineseMessage(e.message)}`) }],
    body: html`<p class="error-code">错误代码 ${problem.status}${problem.status === 404 ? '' : html` · ${problem.code}`}</p>
<p><a class="button primary" href="/">返回首页</a></p>`,
  });
}
