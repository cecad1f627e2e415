import { html } from '../../html/html.ts';
import type { SafeHtml } from '../../html/html.ts';
import type { MachineGraph } from './machine-graph.ts';

/** Where a state sits in the diagram's grid. */
export interface Cell {
  readonly col: number;
  readonly row: number;
}

/** How states and events read to people. */
export interface DiagramLabels {
  state(key: string): string;
  event(type: string): string;
}

const COL_W = 190;
const ROW_H = 128;
const BOX_W = 104;
const BOX_H = 38;
const PAD_X = 30;
const PAD_Y = 12;
/** Gap between the two lines of a pair of states joined both ways. */
const PAIR_OFFSET = 7;

/** The main path: from the initial state, each state's first transition to a state not yet on it. Pure. */
export function mainPath(graph: MachineGraph): string[] {
  const main: string[] = [graph.initial];
  for (;;) {
    const last = main[main.length - 1]!;
    const next = graph.edges.find((e) => e.from === last && !main.includes(e.to));
    if (next === undefined) return main;
    main.push(next.to);
  }
}

/**
 * Lays the states out on a grid, deterministically, from the graph alone: the main path (from the
 * initial state, each state's first transition to a state not yet on the path) runs along the middle
 * row; other final states reached from three or more states go above it, every other state below,
 * each in the column nearest the mean column of its neighbours on the main path. Pure.
 */
export function diagramLayout(graph: MachineGraph): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  const main = mainPath(graph);
  main.forEach((key, col) => cells.set(key, { col, row: 1 }));

  const taken = (row: number, col: number) => [...cells.values()].some((c) => c.row === row && c.col === col);
  for (const state of graph.states) {
    if (cells.has(state.key)) continue;
    const sources = new Set(graph.edges.filter((e) => e.to === state.key).map((e) => e.from));
    const row = state.final && sources.size >= 3 ? 0 : 2;
    const neighbours = graph.edges.flatMap((e) => (e.to === state.key ? [e.from] : e.from === state.key ? [e.to] : []));
    const onMain = [...new Set(neighbours.filter((n) => main.includes(n)))].map((n) => cells.get(n)!.col);
    const placed = [...new Set(neighbours)].flatMap((n) => (cells.has(n) ? [cells.get(n)!.col] : []));
    const cols = onMain.length > 0 ? onMain : placed;
    const wanted = cols.length === 0 ? 0 : Math.round(cols.reduce((a, b) => a + b, 0) / cols.length);
    let col = wanted;
    // The nearest free column, to the right first.
    for (let step = 1; taken(row, col); step++) {
      if (!taken(row, wanted + step)) col = wanted + step;
      else if (wanted - step >= 0 && !taken(row, wanted - step)) col = wanted - step;
    }
    cells.set(state.key, { col, row });
  }
  // Drop empty rows so a machine with nothing above or below its main path stays compact.
  const rows = [...new Set([...cells.values()].map((c) => c.row))].sort((a, b) => a - b);
  return new Map([...cells].map(([key, c]) => [key, { col: c.col, row: rows.indexOf(c.row) }]));
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Where the segment from the centre of a box towards (dx, dy) leaves it. */
function exitPoint(cx: number, cy: number, dx: number, dy: number, margin: number): [number, number] {
  const hw = BOX_W / 2 + margin;
  const hh = BOX_H / 2 + margin;
  const t = Math.min(dx === 0 ? Infinity : hw / Math.abs(dx), dy === 0 ? Infinity : hh / Math.abs(dy));
  return [cx + dx * t, cy + dy * t];
}

function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u0000-\u00ff]/.test(ch) ? 7 : 12;
  return width;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * The machine's state diagram as inline SVG: a box per state (final states doubly framed, `current`
 * highlighted), an arrow per pair of states with the events that move between them, each label put
 * where it overlaps no state and no other label. Styled by the page's CSS classes. Pure.
 */
export function stateDiagram(graph: MachineGraph, labels: DiagramLabels, current?: string): SafeHtml {
  const layout = diagramLayout(graph);
  const cols = Math.max(...[...layout.values()].map((c) => c.col)) + 1;
  const rows = Math.max(...[...layout.values()].map((c) => c.row)) + 1;
  const width = PAD_X * 2 + cols * COL_W;
  const height = PAD_Y * 2 + rows * ROW_H;
  const centre = (key: string): [number, number] => {
    const cell = layout.get(key)!;
    return [PAD_X + cell.col * COL_W + COL_W / 2, PAD_Y + cell.row * ROW_H + ROW_H / 2];
  };
  const stateBoxes: Box[] = graph.states.map((s) => {
    const [x, y] = centre(s.key);
    return { x: x - BOX_W / 2 - 2, y: y - BOX_H / 2 - 2, w: BOX_W + 4, h: BOX_H + 4 };
  });

  // One arrow per ordered pair of states, naming every event that moves along it.
  const pairs = new Map<string, { from: string; to: string; events: string[] }>();
  for (const edge of graph.edges) {
    const key = `${edge.from}\u0000${edge.to}`;
    const pair = pairs.get(key) ?? { from: edge.from, to: edge.to, events: [] };
    pair.events.push(edge.event);
    pairs.set(key, pair);
  }

  const main = mainPath(graph);
  const finals = new Set(graph.states.filter((s) => s.final).map((s) => s.key));
  const placedLabels: Box[] = [];
  const arrows: SafeHtml[] = [];
  const edgeLabels: SafeHtml[] = [];
  for (const { from, to, events } of pairs.values()) {
    const [ax, ay] = centre(from);
    const [bx, by] = centre(to);
    const length = Math.hypot(bx - ax, by - ay);
    const [ux, uy] = [(bx - ax) / length, (by - ay) / length];
    // Both ways between two states: two parallel lines, each shifted to its own right.
    const shift = pairs.has(`${to}\u0000${from}`) ? PAIR_OFFSET : 0;
    const [nx, ny] = [-uy * shift, ux * shift];
    const [x1, y1] = exitPoint(ax + nx, ay + ny, ux, uy, 1);
    const [x2, y2] = exitPoint(bx + nx, by + ny, -ux, -uy, 4);
    const onMain = main.indexOf(to) === main.indexOf(from) + 1 && main.includes(from);
    const exit = finals.has(to) && !main.includes(to);
    arrows.push(html`<line class="edge${onMain ? ' main' : exit ? ' exit' : ''}" x1="${round(x1)}" y1="${round(y1)}" x2="${round(x2)}" y2="${round(y2)}" marker-end="url(#sd-arrow)"></line>`);

    const text = events.map((e) => labels.event(e)).join('／');
    const w = textWidth(text) + 8;
    const h = 17;
    const side = shift === 0 ? 0 : 11;
    // On the line at its middle if free, else further along it, else beside it.
    const candidates = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8].flatMap((t) => [side, side + 12, side - 12].map((off) => ({ t, off })));
    const spot = candidates
      .map(({ t, off }) => {
        const cx = x1 + (x2 - x1) * t - uy * off;
        const cy = y1 + (y2 - y1) * t + ux * off;
        return { x: cx - w / 2, y: cy - h / 2, w, h };
      })
      .find((box) => ![...stateBoxes, ...placedLabels].some((other) => overlaps(box, other)));
    const box = spot ?? { x: (x1 + x2) / 2 - w / 2, y: (y1 + y2) / 2 - h / 2, w, h };
    placedLabels.push(box);
    edgeLabels.push(
      html`<rect class="edge-label-bg" x="${round(box.x)}" y="${round(box.y)}" width="${round(w)}" height="${h}" rx="3"></rect><text class="edge-label" x="${round(box.x + w / 2)}" y="${round(box.y + h / 2)}">${text}</text>`,
    );
  }

  const nodes = graph.states.map((s) => {
    const [x, y] = centre(s.key);
    const classes = ['state', s.final ? 'final' : '', s.key === current ? 'current' : ''].filter((c) => c !== '').join(' ');
    return html`<g class="${classes}"><rect x="${x - BOX_W / 2}" y="${y - BOX_H / 2}" width="${BOX_W}" height="${BOX_H}" rx="8"></rect>${
      s.final ? html`<rect class="inner" x="${x - BOX_W / 2 + 3}" y="${y - BOX_H / 2 + 3}" width="${BOX_W - 6}" height="${BOX_H - 6}" rx="6"></rect>` : ''
    }<text x="${x}" y="${y}">${labels.state(s.key)}</text></g>`;
  });
  const [ix, iy] = centre(graph.initial);
  const start = html`<circle class="start" cx="${ix - BOX_W / 2 - 18}" cy="${iy}" r="5"></circle><line class="edge" x1="${ix - BOX_W / 2 - 13}" y1="${iy}" x2="${ix - BOX_W / 2 - 4}" y2="${iy}" marker-end="url(#sd-arrow)"></line>`;
  const currentText = current === undefined ? '' : `当前状态：${labels.state(current)}。`;
  const summary = `${graph.states.length}个状态，${graph.edges.length}种状态转换。${currentText}`;

  return html`<svg class="state-diagram" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="sd-title sd-desc" xmlns="http://www.w3.org/2000/svg"><title id="sd-title">任务流程图</title><desc id="sd-desc">${summary}</desc><defs><marker id="sd-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path class="arrow-head" d="M0 0 L10 5 L0 10 z"></path></marker></defs>${start}${arrows}${nodes}${edgeLabels}</svg>`;
}
