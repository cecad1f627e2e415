export { calendarDate, DAY_MS, endOfDayShanghai, isCalendarDate, SHANGHAI_OFFSET_MS } from './calendar-date.ts';
export type { ReformTaskInput } from './reform-task-input.ts';
export { reformTaskInput } from './reform-task-input.ts';
export type { ReformTaskEventType, ReformTaskPayloads } from './reform-task-events.ts';
export { reformTaskEventPayloads, reformTaskEventTypes } from './reform-task-events.ts';
export type { ReformTaskState } from './reform-task-states.ts';
export { activeStates, isActiveState, reformTaskStates, timedStates } from './reform-task-states.ts';
export { eventFieldLabels, eventLabels, evidenceFieldLabels, lightLabels, partStateLabels, stateLabels, verificationCheckLabels } from './reform-task-labels.ts';
export type { VerificationCheck, VerificationCheckAnswers } from './verification-checks.ts';
export { checkAnswersText, failedChecksText, verificationChecks } from './verification-checks.ts';
export type { ExtensionRequest, GrantedExtension, Instruction, InterviewRecord, ReformTaskContext, ReportingPerson } from './reform-task-context.ts';
export { initialContext } from './reform-task-context.ts';
export type { ReformTaskEvent } from './reform-task-machine.ts';
export { reformTaskMachine } from './reform-task-machine.ts';
export type { FoldableEntry, FoldedTask } from './reform-task-fold.ts';
export { foldActorTypes, foldPayloadTypes, foldReformTask } from './reform-task-fold.ts';
export type { DueEscalation } from './reform-task-schedule.ts';
export { deadlineDueAt, escalationDue, lateFrom, warningDueAt } from './reform-task-schedule.ts';
export type { Light, LightFacts, ReformTaskSnapshot } from './reform-task-policy.ts';
export { authorize, eventSenders, isOverdue, light, overdueDays, partLight, systemOnlyEvents, tags, timers, visibleTo } from './reform-task-policy.ts';
export { isLeadActor, isPartyActor, partyUnits } from './task-parties.ts';
export type { PartRecord, PartState, PartView } from './task-parts.ts';
export { isPartHolder, partEvents, partRecord, partState, partStates, partsDone, partUnits, taskParts } from './task-parts.ts';
export { reformTaskV1 } from './reform-task-definition.ts';
export type {
  InstancesFromPlanOptions,
  PlanLike,
  PlannedInstance,
  PlanTaskLike,
  UnitRegistryLike,
} from './instances-from-plan.ts';
export { instancesFromPlan } from './instances-from-plan.ts';
export type { TaskView } from './task-view.ts';
export { taskView } from './task-view.ts';
export type { Cycle, CycleFrequency, CycleSettings } from './reporting-cycle/cycle-calendar.ts';
export { cycleAt, cycleByKey, cycleFrequencies, cycleSettings, DEFAULT_REMIND_DAYS, describeCycles, DUE_DAY_MESSAGE, nextCycle, previousCycle } from './reporting-cycle/cycle-calendar.ts';
export type { ReportingCycleContext, ReportingCycleEventType } from './reporting-cycle/reporting-cycle-definition.ts';
export { cycleTimers, cyclesInstanceId, reportingCycleEventPayloads, reportingCycleV1 } from './reporting-cycle/reporting-cycle-definition.ts';
export type { ScheduleContext } from './reporting-cycle/reporting-cycle-v2.ts';
export { reportingCycleV2, scheduleEventPayloads, scheduleTask, taskCyclesInstanceId } from './reporting-cycle/reporting-cycle-v2.ts';
