import type { Actor, Engine, InstanceRecord } from '@duban/engine';

/** The task if it exists and `actor` may see it; undefined alike for unknown and invisible tasks. */
export async function findVisibleTask(engine: Engine, id: string, actor: Actor): Promise<InstanceRecord | undefined> {
  const instance = await engine.getInstance(id);
  return instance !== undefined && engine.visibleTo(instance, actor) ? instance : undefined;
}
