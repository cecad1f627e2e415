import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';

/** One bar: its label, value and the CSS class that colours it. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly className: string;
  /** The list the bar counts, when there is one. */
  readonly href?: string;
}

const WIDTH = 520;
const LABEL_W = 96;
const VALUE_W = 44;
const ROW_H = 26;
const BAR_H = 16;

/**
 * A horizontal bar chart as inline SVG (no script, no inline style: colours come from CSS classes),
 * with a title and a text description for screen readers; bars scale to the largest value; a bar
 * with `href` links to the list it counts. Pure.
 */
export function barChart(id: string, title: string, bars: readonly Bar[]): SafeHtml {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const span = WIDTH - LABEL_W - VALUE_W;
  const height = bars.length * ROW_H + 8;
  const desc = bars.map((b) => `${b.label}${b.value}项`).join('，');
  // Links inside an image would be hidden from screen readers: a chart of links is a group.
  const role = bars.some((bar) => bar.href !== undefined) ? 'group' : 'img';
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="${role}" aria-labelledby="${id}-t ${id}-d" xmlns="http://www.w3.org/2000/svg"><title id="${id}-t">${title}</title><desc id="${id}-d">${desc}</desc>${bars.map((bar, i) => {
    const y = 4 + i * ROW_H;
    const w = bar.value === 0 ? 0 : Math.max(2, Math.round((bar.value / max) * span));
    const row = html`<text class="chart-label" x="${LABEL_W - 8}" y="${y + ROW_H / 2}">${bar.label}</text><rect class="bar ${bar.className}" x="${LABEL_W}" y="${y + (ROW_H - BAR_H) / 2}" width="${w}" height="${BAR_H}" rx="2"></rect><text class="chart-value" x="${LABEL_W + w + 6}" y="${y + ROW_H / 2}">${bar.value}</text>`;
    return bar.href === undefined ? row : html`<a class="chart-link" href="${bar.href}" aria-label="${bar.label}${bar.value}项，查看任务">${row}</a>`;
  })}</svg>`;
}
