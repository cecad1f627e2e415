import { reformTaskV1 } from '@duban/reform-task';
import type { Actor, Engine, InstanceRecord } from '@duban/engine';

/** The reform task if it exists and `actor` may see it; undefined alike for unknown and invisible tasks, and for instances of other workflows (the organisation's). */
export async function findVisibleTask(engine: Engine, id: string, actor: Actor): Promise<InstanceRecord | undefined> {
  const instance = await engine.getInstance(id);
  return instance !== undefined && instance.workflowId === reformTaskV1.id && engine.visibleTo(instance, actor) ? instance : undefined;
}
