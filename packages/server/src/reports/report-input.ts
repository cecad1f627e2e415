import type { AuditEntry, Engine, ReplayedInstance } from '@duban/engine';
import { replayLog } from '@duban/engine';
import type { Instant } from './report-time.ts';
import { instantMs } from './report-time.ts';

/** What every report takes: the instances as of an instant, the log up to it, and the instant. */
export interface ReportInput {
  readonly tasks: ReplayedInstance[];
  readonly entries: AuditEntry[];
  /** Epoch ms. */
  readonly asOf: number;
}

/**
 * Reads the log once and rebuilds every instance as it stood at `asOf` (entries at or before it).
 * Does IO (reads the whole audit log through the engine); everything after it is pure.
 */
export async function reportInputAt(engine: Engine, asOf: Instant): Promise<ReportInput> {
  const at = instantMs(asOf);
  const entries: AuditEntry[] = [];
  for await (const entry of engine.entries()) if (Date.parse(entry.at) <= at) entries.push(entry);
  const { instances } = await replayLog(engine.registry, entries, at);
  return { tasks: [...instances.values()].filter((instance) => instance.workflowId === 'reform-task'), entries, asOf: at };
}
