/** Every state of the reform-task lifecycle; `assigned` is initial. */
export const reformTaskStates = [
  'assigned',
  'in_progress',
  'reported',
  'verified',
  'closed',
  'interview',
  'accountability',
  'cancelled',
] as const;

export type ReformTaskState = (typeof reformTaskStates)[number];

/** States in which the task is still open to the office's supervision. */
export const activeStates: readonly ReformTaskState[] = ['assigned', 'in_progress', 'reported', 'verified', 'interview'];

/** States in which deadline timers run: the unit has not reported yet. */
export const timedStates: readonly ReformTaskState[] = ['assigned', 'in_progress'];

/** Is this state value one of the active states? Pure. */
export function isActiveState(value: string): boolean {
  return (activeStates as readonly string[]).includes(value);
}
