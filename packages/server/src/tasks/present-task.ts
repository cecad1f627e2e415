import type { Actor, Engine, InstanceRecord, StoredSnapshot } from '@duban/engine';
import { taskView } from '@duban/reform-task';
import type { ReformTaskContext, TaskView } from '@duban/reform-task';

/** A task as `actor` sees it at `at`, with the events that actor may send then. Pure over the engine's definitions. */
export function presentTask(engine: Engine, instance: InstanceRecord, actor: Actor, at: Date): TaskView {
  const allowed = engine.allowedEvents(instance, actor, at);
  return taskView({ id: instance.id, version: instance.version, snapshot: instance.snapshot as StoredSnapshot<ReformTaskContext> }, allowed, at.getTime());
}
