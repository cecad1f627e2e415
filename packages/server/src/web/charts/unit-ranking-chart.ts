import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import type { Assessment } from '../../reports/index.ts';
import { shortLabel } from './chart-text.ts';

const WIDTH = 560;
const LABEL_W = 190;
const VALUE_W = 56;
const ROW_H = 24;
const BAR_H = 14;

/**
 * 单位考核排名: one row a unit, highest score first, each bar drawn from the base score (基础分) to
 * the unit's score — right and green above it, left and red below — so units a few points apart are
 * told apart; every row links to `hrefOf(unit)` (the unit's task list). Inline SVG with a viewBox (it
 * scales to a phone's width), a title and a description listing every rank and score. Pure.
 */
export function unitRankingChart(id: string, assessment: Assessment, hrefOf: (unit: string) => string): SafeHtml {
  const units = assessment.units;
  const reach = Math.max(1, ...units.map((unit) => Math.abs(unit.score - assessment.base)));
  const span = (WIDTH - LABEL_W - VALUE_W) / 2;
  const zero = LABEL_W + span;
  const height = Math.max(1, units.length) * ROW_H + 8;
  const desc = units.length === 0 ? '尚无被考核单位' : units.map((unit) => `第${unit.rank}名${unit.unit}${unit.score}分`).join('，');
  return html`<svg class="chart chart-ranking" viewBox="0 0 ${WIDTH} ${height}" role="group" aria-labelledby="${id}-t ${id}-d" xmlns="http://www.w3.org/2000/svg"><title id="${id}-t">单位考核排名（基础分 ${assessment.base} 分）</title><desc id="${id}-d">${desc}</desc><line class="chart-axis" x1="${zero}" y1="0" x2="${zero}" y2="${height}"></line>${units.map((unit, i) => {
    const y = 4 + i * ROW_H;
    const delta = unit.score - assessment.base;
    const w = delta === 0 ? 0 : Math.max(2, Math.round((Math.abs(delta) / reach) * span));
    const x = delta < 0 ? zero - w : zero;
    return html`<a class="chart-link" href="${hrefOf(unit.unit)}" aria-label="第${unit.rank}名 ${unit.unit} ${unit.score}分，查看该单位的任务"><title>${unit.unit}</title><text class="chart-label" x="${LABEL_W - 8}" y="${y + ROW_H / 2}">${unit.rank}. ${shortLabel(unit.unit)}</text><rect class="bar ${delta < 0 ? 'bar-minus' : 'bar-plus'}" x="${x}" y="${y + (ROW_H - BAR_H) / 2}" width="${w}" height="${BAR_H}" rx="2"></rect><text class="chart-value" x="${WIDTH - VALUE_W + 6}" y="${y + ROW_H / 2}">${unit.score}</text></a>`;
  })}</svg>`;
}
