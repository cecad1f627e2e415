import type { AnyWorkflowDefinition } from '@duban/engine';
import { organisationV1 } from '@duban/organisation';
import { reformTaskV1, reportingCycleV1, reportingCycleV2 } from '@duban/reform-task';

/** Every workflow the server runs and replays. */
export const workflows: readonly AnyWorkflowDefinition[] = [reformTaskV1, organisationV1, reportingCycleV1, reportingCycleV2];

/** This module, for replay threads: they load `workflows` from it themselves (definitions hold functions, which cannot cross threads). */
export const workflowsModule = new URL(import.meta.url);
