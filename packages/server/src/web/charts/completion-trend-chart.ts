import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import type { CompletionWeek } from '../../reports/completion-trend.ts';

const HEIGHT = 220;
const TOP = 24;
const BOTTOM = 28;
const LEFT = 8;
const COLUMN = 11;

/**
 * 完成趋势（按周）: one column a week, as tall as the tasks verified by its end, the week's new
 * verifications written above where there were any; each column links to `hrefOf(week)` (the tasks done
 * as of that week's last day). Inline SVG with a viewBox (it scales to a phone's width), a title and
 * a description with every week's figures. Pure.
 */
export function completionTrendChart(id: string, weeks: readonly CompletionWeek[], hrefOf: (week: CompletionWeek) => string): SafeHtml {
  const width = LEFT * 2 + Math.max(1, weeks.length) * COLUMN;
  const max = Math.max(1, ...weeks.map((week) => week.done));
  const span = HEIGHT - TOP - BOTTOM;
  const desc = weeks.length === 0 ? '尚无数据' : weeks.map((week) => `${week.from}至${week.to}：本周核验通过${week.verified}项，累计${week.done}项`).join('；');
  const months = weeks.filter((week, i) => i === 0 || week.from.slice(5, 7) !== weeks[i - 1]!.from.slice(5, 7));
  return html`<svg class="chart chart-trend" viewBox="0 0 ${width} ${HEIGHT}" role="group" aria-labelledby="${id}-t ${id}-d" xmlns="http://www.w3.org/2000/svg"><title id="${id}-t">完成趋势（按周累计核验通过任务数）</title><desc id="${id}-d">${desc}</desc><line class="chart-axis" x1="${LEFT}" y1="${HEIGHT - BOTTOM}" x2="${width - LEFT}" y2="${HEIGHT - BOTTOM}"></line>${weeks.map((week, i) => {
    const h = week.done === 0 ? 0 : Math.max(2, Math.round((week.done / max) * span));
    const x = LEFT + i * COLUMN;
    return html`<a class="chart-link" href="${hrefOf(week)}" aria-label="${week.from}至${week.to}（本周核验通过${week.verified}项），累计完成${week.done}项，查看任务"><rect class="bar bar-verified" x="${x + 1}" y="${HEIGHT - BOTTOM - h}" width="${COLUMN - 2}" height="${h}"></rect>${week.verified === 0 ? '' : html`<text class="chart-tick" x="${x + COLUMN / 2}" y="${HEIGHT - BOTTOM - h - 4}">${week.verified}</text>`}</a>`;
  })}${months.map((week) => html`<text class="chart-tick" x="${LEFT + weeks.indexOf(week) * COLUMN + COLUMN / 2}" y="${HEIGHT - 8}">${Number(week.from.slice(5, 7))}月</text>`)}</svg>`;
}
