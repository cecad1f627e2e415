import type { AnyWorkflowDefinition } from '@duban/engine';
import type { SafeHtml } from '../../html/html.ts';
import { eventLabel, stateLabel } from '../view/labels.ts';
import type { MachineGraph } from './machine-graph.ts';
import { machineGraph } from './machine-graph.ts';
import { stateDiagram } from './state-diagram.ts';

const graphs = new WeakMap<AnyWorkflowDefinition, MachineGraph>();

function graphOf(definition: AnyWorkflowDefinition): MachineGraph {
  let graph = graphs.get(definition);
  if (graph === undefined) graphs.set(definition, (graph = machineGraph(definition.machine)));
  return graph;
}

/** A workflow's state diagram in Chinese with `current` highlighted, and its transitions as sentences. Pure. */
export function workflowDiagram(definition: AnyWorkflowDefinition, current: string): { svg: SafeHtml; transitions: string[] } {
  const graph = graphOf(definition);
  const svg = stateDiagram(graph, { state: stateLabel, event: eventLabel }, current);
  const moves = graph.edges.map((e) => `${stateLabel(e.from)} →（${eventLabel(e.event)}）→ ${stateLabel(e.to)}`);
  const stays = graph.states.flatMap((s) => {
    const events = graph.selfEvents[s.key] ?? [];
    return events.length === 0 ? [] : [`${stateLabel(s.key)}：${events.map(eventLabel).join('、')}（状态不变）`];
  });
  const finals = graph.states.filter((s) => s.final).map((s) => stateLabel(s.key));
  return { svg, transitions: [...moves, ...stays, `终止状态：${finals.join('、')}`] };
}
