import type { StoredSnapshot } from '@duban/engine';
import type { ExtensionRequest, ReformTaskContext } from './reform-task-context.ts';
import { lightLabels, stateLabels } from './reform-task-labels.ts';
import { isOverdue, light, overdueDays } from './reform-task-policy.ts';
import type { Light } from './reform-task-policy.ts';
import type { ReformTaskState } from './reform-task-states.ts';
import type { PartView } from './task-parts.ts';
import { taskParts } from './task-parts.ts';

/** A task as the API and the pages show it (DESIGN "TaskView") plus what a UI needs beside it. */
export interface TaskView {
  readonly id: string;
  readonly planId: string;
  readonly number: number;
  readonly part: string;
  readonly measure: string;
  readonly text: string;
  readonly leadUnits: string[];
  readonly responsibleUnits: string[];
  /** The limit as the plan wrote it. */
  readonly deadline: { readonly date: string | null; readonly ongoing: boolean; readonly text: string };
  /** The limit in force (after extensions and rectification dates). */
  readonly dueDate: string | null;
  readonly state: string;
  readonly stateLabel: string;
  readonly version: number;
  readonly overdue: boolean;
  readonly overdueDays: number;
  readonly light: Light;
  readonly lightLabel: string;
  readonly rejections: number;
  readonly urges: number;
  readonly lastProgress: ReformTaskContext['lastProgress'];
  readonly pendingExtension: ExtensionRequest | null;
  /** Each unit's own part (every responsible unit, each member of a collective): `assigned` until its first part event. */
  readonly parts: PartView[];
  /** The events the caller may send now. */
  readonly allowedEvents: string[];
}

/** Project an instance for a caller, given the events that caller may send now and the time. Pure. */
export function taskView(
  instance: { readonly id: string; readonly version: number; readonly snapshot: StoredSnapshot<ReformTaskContext> },
  allowedEvents: readonly string[],
  now: number,
): TaskView {
  const { snapshot } = instance;
  const task = snapshot.context;
  const lit = light(snapshot);
  return {
    id: instance.id,
    planId: task.planId,
    number: task.number,
    part: task.part,
    measure: task.measure,
    text: task.text,
    leadUnits: [...task.leadUnits],
    responsibleUnits: [...task.responsibleUnits],
    deadline: { date: task.deadline.date, ongoing: task.deadline.ongoing, text: task.deadline.text },
    dueDate: task.dueDate,
    state: snapshot.value,
    stateLabel: stateLabels[snapshot.value as ReformTaskState] ?? snapshot.value,
    version: instance.version,
    overdue: isOverdue(snapshot),
    overdueDays: overdueDays(snapshot, now),
    light: lit,
    lightLabel: lightLabels[lit],
    rejections: task.rejections,
    urges: task.urges,
    lastProgress: task.lastProgress,
    pendingExtension: task.pendingExtension,
    parts: taskParts(task),
    allowedEvents: [...allowedEvents],
  };
}
