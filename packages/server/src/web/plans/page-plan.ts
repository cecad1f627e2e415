import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import type { ListedPlan, PlanRecords } from '../../plans/plan-records.ts';
import type { QueryErrors } from '../forms/query-fields.ts';
import type { Notice } from '../view/layout.ts';

/** `?plan=all`: every plan at once. */
export const ALL_PLANS = 'all';

/** The plan a page shows: `id` narrows the reports (undefined: every plan), `chosen` is the selector's value. */
export interface PagePlan {
  readonly id: string | undefined;
  readonly chosen: string;
  readonly plans: readonly ListedPlan[];
}

/**
 * The plan a page's `?plan=` asks for: by default the newest active plan; `all` every plan; an id
 * not among the plans is named in `errors` (beside the selector) and the default shown. Does IO.
 */
export async function pagePlan(records: PlanRecords, asked: string | undefined, errors: QueryErrors): Promise<PagePlan> {
  const plans = await records.list();
  const fallback = plans.find((plan) => plan.active)?.id ?? plans[0]?.id;
  if (asked === ALL_PLANS) return { id: undefined, chosen: ALL_PLANS, plans };
  if (asked !== undefined && plans.some((plan) => plan.id === asked)) return { id: asked, chosen: asked, plans };
  if (asked !== undefined) errors['plan'] = '没有这个计划，请从列表中选择';
  return { id: fallback, chosen: fallback ?? ALL_PLANS, plans };
}

/** The query string part that keeps the page's plan in a link (`plan=…`), or '' with one plan or none. Pure. */
export function planParam(plan: PagePlan): string {
  return plan.plans.length > 1 ? `plan=${encodeURIComponent(plan.chosen)}` : '';
}

/** The plan selector of a page's GET form (only when there are several plans), its error beside it. Pure. */
export function planField(plan: PagePlan, errors: QueryErrors): SafeHtml | '' {
  if (plan.plans.length < 2) return '';
  const error = errors['plan'];
  return html`<div class="field${error === undefined ? '' : ' has-error'}"><label for="filter-plan">计划</label><select id="filter-plan" name="plan"${error === undefined ? '' : html` aria-invalid="true" aria-describedby="filter-plan-error"`}>${plan.plans.map(
    (p) => html`<option value="${p.id}"${p.id === plan.chosen ? html` selected` : ''}>${p.title}${p.active ? '' : '（已归档）'}</option>`,
  )}<option value="${ALL_PLANS}"${plan.chosen === ALL_PLANS ? html` selected` : ''}>全部计划（跨计划汇总）</option></select>${error === undefined ? '' : html`<p class="field-error" id="filter-plan-error">${error}</p>`}</div>`;
}

/** What a page says of the plans it shows: a view across several plans says so. Pure. */
export function planNotices(plan: PagePlan): Notice[] {
  if (plan.plans.length < 2) return [];
  if (plan.id === undefined) return [{ kind: 'info', text: `当前为全部 ${plan.plans.length} 个计划的跨计划汇总；序号在各计划内编排，可在“计划”中选择单个计划查看。` }];
  const shown = plan.plans.find((p) => p.id === plan.id);
  return [{ kind: 'info', text: `当前计划：${shown?.title ?? plan.id}（共 ${plan.plans.length} 个计划，可在“计划”中切换）` }];
}

/** What a page's template takes of its plan: the selector, the notice, the `plan=` to keep in links. */
export interface PlanView {
  readonly field: SafeHtml | '';
  readonly notices: readonly Notice[];
  /** `plan=…` or ''. */
  readonly param: string;
}

/** The template's part of a page plan. Pure. */
export function planView(plan: PagePlan, errors: QueryErrors): PlanView {
  return { field: planField(plan, errors), notices: planNotices(plan), param: planParam(plan) };
}

/** `base` with the page's `plan=` added to its query. Pure. */
export function withPlan(base: string, view: PlanView | undefined): string {
  if (view === undefined || view.param === '') return base;
  return `${base}${base.includes('?') ? '&' : '?'}${view.param}`;
}
