import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { lightLabel, stateLabel } from './labels.ts';

/** A light (红黄绿灯) as a coloured badge that also says its colour in words. Pure. */
export function lightBadge(light: string): SafeHtml {
  return html`<span class="light light-${light}">${lightLabel(light)}</span>`;
}

/** A state as a badge. Pure. */
export function stateBadge(state: string): SafeHtml {
  return html`<span class="state-badge state-${state}">${stateLabel(state)}</span>`;
}

/** A task's address. Pure. */
export function taskHref(id: string): string {
  return `/tasks/${encodeURIComponent(id)}`;
}

/** Long text cut to `max` characters with an ellipsis. Pure. */
export function brief(text: string, max = 60): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}

/** 未报: the units of a task that did not report in the latest closed reporting cycle (nothing when none). Pure. */
export function unreportedBadge(units: readonly string[] | undefined): SafeHtml {
  if (units === undefined || units.length === 0) return html``;
  return html` <span class="tag late unreported" title="上一报送周期未报送进展：${units.join('、')}">未报</span>`;
}
