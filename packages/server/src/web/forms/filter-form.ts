import { lightLabels, partyUnits, reformTaskStates, stateLabels, taskParts } from '@duban/reform-task';
import type { Light } from '@duban/reform-task';
import type { TaskFacts } from '../../reports/index.ts';
import { compareUnits } from '../../reports/index.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import type { TaskFilter } from '../../tasks/task-filter.ts';
import type { QueryErrors } from './query-fields.ts';
import type { SortOrder, TaskSortKey } from '../../tasks/task-order.ts';
import { taskSortKeys } from '../../tasks/task-order.ts';
import { SEARCH_TEXT_MAX } from '../../tasks/task-search.ts';

/** The error beside a field of a GET form and the attributes that tie it to its control. Pure. */
function errorOf(id: string, error: string | undefined): { attrs: SafeHtml | ''; text: SafeHtml | ''; className: string } {
  if (error === undefined) return { attrs: '', text: '', className: '' };
  return { attrs: html` aria-invalid="true" aria-describedby="${id}-error"`, text: html`<p class="field-error" id="${id}-error">${error}</p>`, className: ' has-error' };
}

/** A date field of a page's GET form, with its Chinese error beside it when the query was refused. Pure. */
export function dateField(field: { id: string; name: string; label: string; value: string; max?: string; required?: boolean; error?: string | undefined }): SafeHtml {
  const error = errorOf(field.id, field.error);
  return html`<div class="field${error.className}"><label for="${field.id}">${field.label}</label><input type="date" id="${field.id}" name="${field.name}"${field.max === undefined ? '' : html` max="${field.max}"`} value="${field.value}"${field.required === true ? html` required` : ''}${error.attrs}>${error.text}</div>`;
}

function select(name: string, label: string, options: readonly (readonly [string, string])[], chosen: string | undefined, errors: QueryErrors, empty = '全部'): SafeHtml {
  const id = `filter-${name}`;
  const error = errorOf(id, errors[name]);
  return html`<div class="field${error.className}"><label for="${id}">${label}</label><select id="${id}" name="${name}"${error.attrs}><option value="">${empty}</option>${options.map(
    ([value, text]) => html`<option value="${value}"${value === chosen ? html` selected` : ''}>${text}</option>`,
  )}</select>${error.text}</div>`;
}

function tick(name: 'overdue' | 'done', label: string, on: boolean | undefined, errors: QueryErrors): SafeHtml {
  const id = `filter-${name}`;
  const error = errorOf(id, errors[name]);
  return html`<div class="field check${error.className}"><input type="checkbox" id="${id}" name="${name}" value="1"${on === true ? html` checked` : ''}${error.attrs}><label for="${id}">${label}</label>${error.text}</div>`;
}

/** What a task list asks beyond the filters: keywords, a deadline range, the order. */
export interface TaskListFields {
  readonly q?: string | undefined;
  readonly dueFrom?: string | undefined;
  readonly dueTo?: string | undefined;
  readonly sort?: TaskSortKey | undefined;
  readonly order?: SortOrder | undefined;
  /** One unit's own parts (承担部分), of one light: a bar of the dashboard's 各单位承担部分 chart. */
  readonly partUnit?: string | undefined;
  readonly partLight?: Light | undefined;
}

const sortLabels: Readonly<Record<TaskSortKey, string>> = { number: '序号', deadline: '完成时限', state: '状态', light: '红黄绿灯', lead: '牵头单位', updated: '最近办理' };

/** The task list's own fields: keywords, the deadline range, a unit's own parts and their light, and the order. Pure. */
function searchFields(search: TaskListFields, errors: QueryErrors, partUnits: readonly string[]): SafeHtml {
  const error = errorOf('filter-q', errors['q']);
  return html`<div class="field wide${error.className}"><label for="filter-q">关键词</label><input type="search" id="filter-q" name="q" maxlength="${SEARCH_TEXT_MAX}" value="${search.q ?? ''}" placeholder="任务内容、单位、进展"${error.attrs}>${error.text}</div>
${dateField({ id: 'filter-dueFrom', name: 'dueFrom', label: '完成时限自', value: search.dueFrom ?? '', error: errors['dueFrom'] })}
${dateField({ id: 'filter-dueTo', name: 'dueTo', label: '完成时限至', value: search.dueTo ?? '', error: errors['dueTo'] })}
${select('partUnit', '承担部分的单位', partUnits.map((u) => [u, u] as const), search.partUnit, errors)}
${select('partLight', '本单位部分灯色', (['red', 'yellow', 'green', 'none'] as const).map((l) => [l, lightLabels[l]] as const), search.partLight, errors)}
${select('sort', '排序', taskSortKeys.filter((key) => key !== 'number').map((key) => [key, sortLabels[key]] as const), search.sort, errors, '序号')}
${select('order', '顺序', [['desc', '降序']] as const, search.order, errors, '升序')}`;
}

/**
 * The filter form of the dashboard and the task list (GET, so a filtered view has an address):
 * state, light, unit and part chosen from what the tasks hold, overdue and done ticks, and optionally
 * the day to look at; a refused value's Chinese message sits beside its field (`errors`), the
 * other fields stay as chosen. Pure.
 */
export function filterForm(
  action: string,
  tasks: readonly TaskFacts[],
  filter: TaskFilter & { asOf?: string | undefined },
  options: { asOf?: { max: string }; errors?: QueryErrors; plan?: SafeHtml | ''; search?: TaskListFields } = {},
): SafeHtml {
  const errors = options.errors ?? {};
  const search = options.search;
  const units = [...new Set(tasks.flatMap(({ task }) => partyUnits(task)))].sort(compareUnits);
  const parts = [...new Set(tasks.map(({ task }) => task.part))];
  return html`<form class="filters" method="get" action="${action}" role="search" aria-label="筛选">
${options.plan ?? ''}
${select('state', '状态', reformTaskStates.map((s) => [s, stateLabels[s]] as const), filter.state, errors)}
${select('light', '红黄绿灯', (['red', 'yellow', 'green', 'none'] as const).map((l) => [l, lightLabels[l]] as const), filter.light, errors)}
${select('unit', '单位', units.map((u) => [u, u] as const), filter.unit, errors)}
${select('part', '所属部分', parts.map((p) => [p, p] as const), filter.part, errors)}
${tick('overdue', '仅看逾期', filter.overdue, errors)}
${tick('done', '仅看已完成（已核验、已销号）', filter.done, errors)}
${search === undefined ? '' : searchFields(search, errors, [...new Set(tasks.flatMap(({ task }) => taskParts(task).map((part) => part.unit)))].sort(compareUnits))}
${options.asOf === undefined ? '' : dateField({ id: 'filter-asOf', name: 'asOf', label: '截至日期', max: options.asOf.max, value: filter.asOf ?? '', error: errors['asOf'] })}
<div class="actions"><button type="submit" class="primary">筛选</button><a class="button secondary" href="${action}">清除</a></div>
</form>`;
}
