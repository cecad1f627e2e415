import { reformTaskStates, reformTaskV1 } from '@duban/reform-task';
import { describe, expect, it } from 'vitest';
import { machineGraph } from '../../src/web/diagram/machine-graph.ts';
import { diagramLayout, mainPath, stateDiagram } from '../../src/web/diagram/state-diagram.ts';
import { workflowDiagram } from '../../src/web/diagram/workflow-diagram.ts';

const graph = machineGraph(reformTaskV1.machine);

describe('the state diagram', () => {
  it('is read from the machine definition: every state, every state-changing transition once', () => {
    expect(graph.initial).toBe('assigned');
    expect(graph.states.map((s) => s.key).sort()).toEqual([...reformTaskStates].sort());
    expect(graph.states.filter((s) => s.final).map((s) => s.key).sort()).toEqual(['accountability', 'cancelled', 'closed']);
    const edges = graph.edges.map((e) => `${e.from}-${e.event}->${e.to}`);
    expect(edges).toContain('assigned-START->in_progress');
    expect(edges).toContain('reported-REJECT->in_progress');
    expect(edges).toContain('interview-RECORD_INTERVIEW->in_progress');
    // ESCALATE has an office and a system branch to the same state: one arrow
    expect(edges.filter((e) => e === 'assigned-ESCALATE->interview')).toHaveLength(1);
    expect(new Set(edges).size).toBe(edges.length);
    expect(graph.edges).toHaveLength(16);
    expect(graph.selfEvents['in_progress']).toEqual(['PROGRESS', 'URGE', 'REQUEST_EXTENSION', 'DECIDE_EXTENSION', 'REASSIGN', 'AMEND', 'COMMENT', 'INSTRUCT', 'ACKNOWLEDGE_PART', 'PART_PROGRESS', 'PART_DONE', 'RETURN_PART', 'WARN', 'DEADLINE_PASSED']);
  });

  it('lays the main path along one row and every other state in a cell of its own, the same every time', () => {
    expect(mainPath(graph)).toEqual(['assigned', 'in_progress', 'reported', 'verified', 'closed']);
    const layout = diagramLayout(graph);
    const cells = [...layout.values()].map((c) => `${c.col},${c.row}`);
    expect(new Set(cells).size).toBe(reformTaskStates.length);
    expect(mainPath(graph).map((s) => layout.get(s))).toEqual([0, 1, 2, 3, 4].map((col) => ({ col, row: 1 })));
    // cancelled, reached from five states, above; the interview and the referral below
    expect(layout.get('cancelled')?.row).toBe(0);
    expect(layout.get('interview')?.row).toBe(2);
    expect(layout.get('accountability')?.row).toBe(2);
    expect(diagramLayout(machineGraph(reformTaskV1.machine))).toEqual(layout);
  });

  it('draws a box per state and an arrow per pair, in Chinese, with the current state highlighted', () => {
    const { svg, transitions } = workflowDiagram(reformTaskV1, 'reported');
    const text = svg.text;
    expect(text.match(/<g class="state[^"]*">/g)).toHaveLength(8);
    expect(text.match(/<g class="state[^"]*current[^"]*">/g)).toHaveLength(1);
    expect(text).toMatch(/<g class="state current"><rect[^>]*><\/rect><text[^>]*>待核验<\/text><\/g>/);
    expect(text.match(/<line class="edge[^"]*"[^>]*marker-end/g)).toHaveLength(16 + 1);
    for (const label of ['签收启动', '报送办结', '核验通过', '退回', '销号', '启动约谈', '约谈记录', '移交问责', '撤销']) expect(text).toContain(`>${label}</text>`);
    expect(text).toContain('<desc id="sd-desc">8个状态，16种状态转换。当前状态：待核验。</desc>');
    expect(transitions).toContain('待核验 →（退回）→ 推进中');
    expect(transitions).toContain('终止状态：已销号、已移交问责、已撤销');
  });

  it.each([
    ['Chinese', workflowDiagram(reformTaskV1, 'assigned').svg.text],
    ['long Latin', stateDiagram(graph, { state: (s) => s, event: (e) => e }).text],
  ])('places no edge label over a state or another label (%s labels)', (_, text) => {
    const boxes = [...text.matchAll(/<rect class="edge-label-bg" x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => m.slice(1).map(Number) as [number, number, number, number]);
    const states = [...text.matchAll(/<g class="state[^"]*"><rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => m.slice(1).map(Number) as [number, number, number, number]);
    const overlap = (a: number[], b: number[]) => a[0]! < b[0]! + b[2]! && b[0]! < a[0]! + a[2]! && a[1]! < b[1]! + b[3]! && b[1]! < a[1]! + a[3]!;
    expect(boxes.length).toBe(16);
    for (const [i, a] of boxes.entries()) {
      for (const s of states) expect(overlap(a, s), `label ${i} over a state`).toBe(false);
      for (const b of boxes.slice(i + 1)) expect(overlap(a, b), `label ${i} over another`).toBe(false);
    }
  });
});
