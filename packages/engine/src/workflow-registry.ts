import { CREATE_EVENT } from './audit-entry.ts';
import type { AnyWorkflowDefinition } from './workflow-definition.ts';
import { unsupportedParts } from './xstate-adapter.ts';

/** Every version of every workflow the engine can run or replay. New instances take the latest version. */
export class WorkflowRegistry {
  private readonly byKey = new Map<string, AnyWorkflowDefinition>();
  private readonly latestById = new Map<string, AnyWorkflowDefinition>();

  constructor(definitions: readonly AnyWorkflowDefinition[]) {
    for (const definition of definitions) {
      const key = `${definition.id}@${definition.version}`;
      if (this.byKey.has(key)) throw new Error(`workflow ${key} is registered twice`);
      if (CREATE_EVENT in definition.events) throw new Error(`workflow ${key} may not define the reserved event ${CREATE_EVENT}`);
      // The pure step runs assignments only: refuse now what it would otherwise drop without a word.
      const unsupported = unsupportedParts(definition.machine);
      if (unsupported.length > 0) throw new Error(`workflow ${key} cannot run durably: ${unsupported.join('; ')}`);
      this.byKey.set(key, definition);
      const latest = this.latestById.get(definition.id);
      if (latest === undefined || latest.version < definition.version) this.latestById.set(definition.id, definition);
    }
  }

  /** The exact version an instance was started with; throws if it is not registered. */
  get(id: string, version: number): AnyWorkflowDefinition {
    const definition = this.byKey.get(`${id}@${version}`);
    if (definition === undefined) throw new Error(`workflow ${id}@${version} is not registered`);
    return definition;
  }

  latest(id: string): AnyWorkflowDefinition {
    const definition = this.latestById.get(id);
    if (definition === undefined) throw new Error(`workflow ${id} is not registered`);
    return definition;
  }
}
