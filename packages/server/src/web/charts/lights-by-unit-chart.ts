import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import { shortLabel } from './chart-text.ts';

/** One unit's tasks by light. */
export interface UnitLights {
  readonly unit: string;
  readonly red: number;
  readonly yellow: number;
  readonly green: number;
}

const WIDTH = 560;
const LABEL_W = 190;
const VALUE_W = 44;
const ROW_H = 24;
const BAR_H = 14;
const LIGHTS = [
  { key: 'red', label: '红灯' },
  { key: 'yellow', label: '黄灯' },
  { key: 'green', label: '绿灯' },
] as const;

/**
 * 各单位红黄绿灯: one stacked bar a unit (red, yellow, green), units with the most red first; each
 * segment links to `hrefOf(unit, light)` (that unit's tasks of that light). Inline SVG with a viewBox,
 * a title and a description with every count. Pure.
 */
export function lightsByUnitChart(id: string, title: string, rows: readonly UnitLights[], hrefOf: (unit: string, light: 'red' | 'yellow' | 'green') => string): SafeHtml {
  const sorted = [...rows].sort((a, b) => b.red - a.red || b.yellow - a.yellow || b.green + b.yellow + b.red - (a.green + a.yellow + a.red));
  const max = Math.max(1, ...sorted.map((row) => row.red + row.yellow + row.green));
  const span = WIDTH - LABEL_W - VALUE_W;
  const height = Math.max(1, sorted.length) * ROW_H + 8;
  const desc = sorted.length === 0 ? '没有任务' : sorted.map((row) => `${row.unit}：红灯${row.red}项、黄灯${row.yellow}项、绿灯${row.green}项`).join('；');
  return html`<svg class="chart chart-lights" viewBox="0 0 ${WIDTH} ${height}" role="group" aria-labelledby="${id}-t ${id}-d" xmlns="http://www.w3.org/2000/svg"><title id="${id}-t">${title}</title><desc id="${id}-d">${desc}</desc>${sorted.map((row, i) => {
    const y = 4 + i * ROW_H;
    let x = LABEL_W;
    const segments = LIGHTS.filter((light) => row[light.key] > 0).map((light) => {
      const w = Math.max(2, Math.round((row[light.key] / max) * span));
      const segment = html`<a class="chart-link" href="${hrefOf(row.unit, light.key)}" aria-label="${row.unit}${light.label}${row[light.key]}项，查看任务"><rect class="bar bar-light-${light.key}" x="${x}" y="${y + (ROW_H - BAR_H) / 2}" width="${w}" height="${BAR_H}"></rect></a>`;
      x += w;
      return segment;
    });
    const total = row.red + row.yellow + row.green;
    return html`<g><title>${row.unit}</title><text class="chart-label" x="${LABEL_W - 8}" y="${y + ROW_H / 2}">${shortLabel(row.unit)}</text>${segments}<text class="chart-value" x="${x + 6}" y="${y + ROW_H / 2}">${total}</text></g>`;
  })}</svg>`;
}
