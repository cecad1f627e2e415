import type { EventSpec, JsonObject, StoredSnapshot, WorkflowDefinition } from '@duban/engine';
import type { z } from 'zod';
import { checkExtensionDecision, checkExtensionRequest } from './extension-checks.ts';
import { checkInterviewRecord } from './interview-check.ts';
import { checkCommentAsk } from './comment-check.ts';
import { checkAmendment } from './amend-check.ts';
import { checkPartReturn } from './task-parts.ts';
import type { ReformTaskContext } from './reform-task-context.ts';
import { reformTaskEventPayloads, reformTaskEventTypes } from './reform-task-events.ts';
import type { ReformTaskEventType, ReformTaskPayloads } from './reform-task-events.ts';
import { reformTaskInput } from './reform-task-input.ts';
import type { ReformTaskInput } from './reform-task-input.ts';
import { reformTaskMachine } from './reform-task-machine.ts';
import { authorize, systemOnlyEvents, tags, timers, visibleTo } from './reform-task-policy.ts';

// Zod types absent optional keys as `T | undefined`; the parsed value has no such key, so it is JSON.
function asJsonSchema(schema: z.ZodType): z.ZodType<JsonObject> {
  return schema as z.ZodType<JsonObject>;
}

function contextOf(snapshot: StoredSnapshot): ReformTaskContext {
  return snapshot.context as ReformTaskContext;
}

const checks: Partial<Record<ReformTaskEventType, EventSpec['check']>> = {
  REQUEST_EXTENSION: (payload, snapshot, at) =>
    checkExtensionRequest(payload as ReformTaskPayloads['REQUEST_EXTENSION'], contextOf(snapshot), at),
  DECIDE_EXTENSION: (payload, snapshot) =>
    checkExtensionDecision(payload as ReformTaskPayloads['DECIDE_EXTENSION'], contextOf(snapshot)),
  RECORD_INTERVIEW: (payload, _snapshot, at) => checkInterviewRecord(payload as ReformTaskPayloads['RECORD_INTERVIEW'], at),
  COMMENT: (payload, snapshot) => checkCommentAsk(payload as ReformTaskPayloads['COMMENT'], contextOf(snapshot)),
  AMEND: (payload, snapshot, at) => checkAmendment(payload as ReformTaskPayloads['AMEND'], contextOf(snapshot), at),
  RETURN_PART: (payload, snapshot) => checkPartReturn(payload as ReformTaskPayloads['RETURN_PART'], contextOf(snapshot)),
};

function eventSpec(type: ReformTaskEventType): EventSpec {
  const check = checks[type];
  return {
    payload: asJsonSchema(reformTaskEventPayloads[type]),
    ...(systemOnlyEvents.has(type) ? { systemOnly: true } : {}),
    ...(check === undefined ? {} : { check }),
  };
}

/** Workflow `reform-task`, version 1: the lifecycle of one task of a reform plan. */
export const reformTaskV1: WorkflowDefinition<ReformTaskContext, ReformTaskInput> = {
  id: 'reform-task',
  version: 1,
  machine: reformTaskMachine,
  input: reformTaskInput,
  events: Object.fromEntries(reformTaskEventTypes.map((type) => [type, eventSpec(type)])),
  authorize,
  visibleTo,
  timers,
  tags,
};
