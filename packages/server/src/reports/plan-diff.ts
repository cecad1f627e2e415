import type { ReplayedInstance } from '@duban/engine';
import { light } from '@duban/reform-task';
import type { ReformTaskSnapshot } from '@duban/reform-task';
import { reportTasks } from './index.ts';
import type { TaskChange } from '../web/pages/diff-page.ts';

function standing(instance: ReplayedInstance) {
  return { state: instance.snapshot.value, light: light(instance.snapshot as ReformTaskSnapshot), version: instance.version };
}

/**
 * The reform tasks whose record grew between two replays of the log (`engine.snapshotsAt` at two
 * instants): a new state, a new light or new entries; in plan order. Pure.
 */
export function planDiff(before: ReadonlyMap<string, ReplayedInstance>, after: ReadonlyMap<string, ReplayedInstance>): { changes: TaskChange[]; unchanged: number } {
  const changes: TaskChange[] = [];
  let unchanged = 0;
  for (const { id, task } of reportTasks(after)) {
    const now = standing(after.get(id)!);
    const old = before.get(id);
    const then = old === undefined ? null : standing(old);
    if (then !== null && then.version === now.version) {
      unchanged += 1;
      continue;
    }
    changes.push({ id, number: task.number, text: task.text, before: then, after: now });
  }
  return { changes, unchanged };
}
