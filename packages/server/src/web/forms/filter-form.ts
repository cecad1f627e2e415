import { lightLabels, partyUnits, reformTaskStates, stateLabels } from '@duban/reform-task';
import type { TaskFacts } from '../../reports/index.ts';
import { compareUnits } from '../../reports/index.ts';
import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import type { TaskFilter } from '../../tasks/task-filter.ts';

function select(name: string, label: string, options: readonly (readonly [string, string])[], chosen: string | undefined): SafeHtml {
  return html`<div class="field"><label for="filter-${name}">${label}</label><select id="filter-${name}" name="${name}"><option value="">全部</option>${options.map(
    ([value, text]) => html`<option value="${value}"${value === chosen ? html` selected` : ''}>${text}</option>`,
  )}</select></div>`;
}

/**
 * The filter form of the dashboard and the task list (GET, so a filtered view has an address):
 * state, light, unit and part chosen from what the tasks hold, and optionally the day to look at. Pure.
 */
export function filterForm(action: string, tasks: readonly TaskFacts[], filter: TaskFilter & { asOf?: string | undefined }, options: { asOf?: { max: string } } = {}): SafeHtml {
  const units = [...new Set(tasks.flatMap(({ task }) => partyUnits(task)))].sort(compareUnits);
  const parts = [...new Set(tasks.map(({ task }) => task.part))];
  return html`<form class="filters" method="get" action="${action}" role="search" aria-label="筛选">
${select('state', '状态', reformTaskStates.map((s) => [s, stateLabels[s]] as const), filter.state)}
${select('light', '红黄绿灯', (['red', 'yellow', 'green', 'none'] as const).map((l) => [l, lightLabels[l]] as const), filter.light)}
${select('unit', '单位', units.map((u) => [u, u] as const), filter.unit)}
${select('part', '所属部分', parts.map((p) => [p, p] as const), filter.part)}
${options.asOf === undefined ? '' : html`<div class="field"><label for="filter-asOf">截至日期</label><input type="date" id="filter-asOf" name="asOf" max="${options.asOf.max}" value="${filter.asOf ?? ''}"></div>`}
<div class="actions"><button type="submit" class="primary">筛选</button><a class="button secondary" href="${action}">清除</a></div>
</form>`;
}
