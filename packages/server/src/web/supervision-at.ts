import type { AppDeps } from '../app-deps.ts';
import type { SupervisionEvent } from '../reports/index.ts';
import { supervisionEvents } from '../reports/index.ts';

/**
 * The supervision facts of the log up to `at`: from the CurrentPlan read model when `at` is now,
 * else from one read of the whole log. Does IO.
 */
export async function supervisionAt({ engine, currentPlan }: AppDeps, at: Date, isNow: boolean): Promise<readonly SupervisionEvent[]> {
  const live = isNow ? await currentPlan?.at(at.getTime()) : undefined;
  if (live !== undefined) return live.events;
  const entries = [];
  for await (const entry of engine.entries()) if (Date.parse(entry.at) <= at.getTime()) entries.push(entry);
  return supervisionEvents(entries, at.getTime());
}
