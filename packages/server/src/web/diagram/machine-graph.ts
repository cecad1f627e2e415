/** A state of a workflow machine as the diagram reads it. */
export interface GraphState {
  readonly key: string;
  readonly final: boolean;
}

/** A state-changing transition: `event` moves `from` to `to`. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly event: string;
}

/** The states (in definition order) and state-changing transitions of a flat machine. */
export interface MachineGraph {
  readonly initial: string;
  readonly states: readonly GraphState[];
  readonly edges: readonly GraphEdge[];
  /** Per state, the events that keep it where it is (in definition order). */
  readonly selfEvents: Readonly<Record<string, readonly string[]>>;
}

/** The part of an XState v5 machine the graph reads: its root's states and their resolved `on` maps. */
interface MachineShape {
  readonly root: {
    readonly initial?: { readonly target?: readonly { readonly key: string }[] };
    readonly states: Readonly<Record<string, { readonly type: string; readonly on: Readonly<Record<string, readonly { readonly target?: readonly { readonly key: string }[] }[]>> }>>;
  };
}

/**
 * Reads a flat XState machine definition: iterates its states and their `on` transitions (every
 * guarded branch), keeping each distinct (from, to, event) once. Pure.
 */
export function machineGraph(machine: unknown): MachineGraph {
  const { root } = machine as MachineShape;
  const initial = root.initial?.target?.[0]?.key;
  if (initial === undefined) throw new Error('machineGraph: the machine has no initial state');
  const states: GraphState[] = [];
  const edges: GraphEdge[] = [];
  const selfEvents: Record<string, string[]> = {};
  for (const [key, node] of Object.entries(root.states)) {
    states.push({ key, final: node.type === 'final' });
    const own: string[] = [];
    for (const [event, branches] of Object.entries(node.on)) {
      for (const branch of branches) {
        const targets = branch.target?.map((t) => t.key) ?? [];
        if (targets.length === 0 || targets.every((t) => t === key)) {
          if (!own.includes(event)) own.push(event);
          continue;
        }
        for (const to of targets) {
          if (to !== key && !edges.some((e) => e.from === key && e.to === to && e.event === event)) edges.push({ from: key, to, event });
        }
      }
    }
    selfEvents[key] = own;
  }
  return { initial, states, edges, selfEvents };
}
