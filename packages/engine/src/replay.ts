import type { AuditEntry } from './audit-entry.ts';
import { CREATE_EVENT } from './audit-entry.ts';
import { canonicalJson } from './canonical-json.ts';
import type { InstanceState } from './step.ts';
import { start, step } from './step.ts';
import type { WorkflowRegistry } from './workflow-registry.ts';
import type { JsonObject } from './json.ts';
import type { StoredSnapshot } from './workflow-definition.ts';

/** An instance rebuilt from the log. */
export interface ReplayedInstance extends InstanceState {
  readonly workflowId: string;
  readonly workflowVersion: number;
}

export interface ReplayDifference {
  readonly instanceId: string;
  readonly seq?: number;
  readonly reason: string;
}

export interface ReplayResult {
  readonly instances: Map<string, ReplayedInstance>;
  readonly differences: ReplayDifference[];
  readonly entries: number;
}

/**
 * Rebuilds every instance by running each logged event through the workflow version that recorded it.
 * Entries after `asOf` (epoch ms) are left out. Pure over the entries it reads.
 */
export async function replayLog(registry: WorkflowRegistry, entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>, asOf = Infinity): Promise<ReplayResult> {
  const replay = new LogReplay(registry, asOf);
  for await (const entry of entries) replay.add(entry);
  return replay.result();
}

/**
 * A replay fed one entry at a time, in seq order per instance (instances are independent, so entries of
 * different instances may come in any order relative to each other). Pure: no IO, no clock.
 */
export class LogReplay {
  readonly instances = new Map<string, ReplayedInstance>();
  readonly differences: ReplayDifference[] = [];
  /** The seq that created each instance, in the order of `instances` (to merge partitions in log order). */
  readonly createdAt: number[] = [];
  private count = 0;

  constructor(
    private readonly registry: WorkflowRegistry,
    private readonly asOf = Infinity,
  ) {}

  add(entry: AuditEntry): void {
    const at = Date.parse(entry.at);
    if (at > this.asOf) return;
    this.count += 1;
    const size = this.instances.size;
    const problem = apply(this.registry, this.instances, entry, at);
    if (this.instances.size > size) this.createdAt.push(entry.seq);
    if (problem !== undefined) this.differences.push({ instanceId: entry.instanceId, seq: entry.seq, reason: problem });
  }

  result(): ReplayResult {
    return { instances: this.instances, differences: this.differences, entries: this.count };
  }
}

function apply(registry: WorkflowRegistry, instances: Map<string, ReplayedInstance>, entry: AuditEntry, at: number): string | undefined {
  const current = instances.get(entry.instanceId);
  if (entry.type === CREATE_EVENT) {
    if (current !== undefined) return 'created twice';
    const { workflow, workflowVersion, input } = entry.payload as { workflow: string; workflowVersion: number; input: JsonObject };
    const definition = registry.get(workflow, workflowVersion);
    const result = start(definition, entry.instanceId, input, entry.actor, at);
    if (!result.ok) return `creation refused on replay: ${result.error.message}`;
    instances.set(entry.instanceId, { instanceId: entry.instanceId, workflowId: workflow, workflowVersion, version: 1, snapshot: result.step.snapshot, machineSnapshot: result.step.machineSnapshot });
    return result.step.snapshot.value === entry.to ? undefined : `logged state ${entry.to}, replayed ${result.step.snapshot.value}`;
  }
  if (current === undefined) return `${entry.type} before the instance was created`;
  if (entry.version !== current.version + 1) return `version ${entry.version} follows ${current.version}`;
  const definition = registry.get(current.workflowId, current.workflowVersion);
  const result = step(definition, current, entry.type, entry.payload, entry.actor, at);
  if (!result.ok) return `${entry.type} refused on replay: ${result.error.message}`;
  instances.set(entry.instanceId, { ...current, version: entry.version, snapshot: result.step.snapshot, machineSnapshot: result.step.machineSnapshot });
  if (entry.from !== current.snapshot.value) return `logged from ${entry.from}, replayed from ${current.snapshot.value}`;
  return result.step.snapshot.value === entry.to ? undefined : `logged state ${entry.to}, replayed ${result.step.snapshot.value}`;
}

/** Whether a stored snapshot and version equal the replayed ones. */
export function sameState(stored: { snapshot: StoredSnapshot; version: number }, replayed: InstanceState): boolean {
  return stored.version === replayed.version && canonicalJson(stored.snapshot as unknown as JsonObject) === canonicalJson(replayed.snapshot as unknown as JsonObject);
}
