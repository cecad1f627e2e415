import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Clock } from './clock.ts';
import { SimulatedClock } from './clock.ts';

const anchorSchema = z.strictObject({ planTime: z.iso.datetime({ offset: true }), realTime: z.iso.datetime({ offset: true }) });

/**
 * The clock `start` runs on: the plan's own calendar. The sample plan is from 2023; on today's clock
 * every deadline would have passed before anyone looked. The first start anchors plan time
 * `planStartIso` to the real time then, in `anchorFile`; every later start continues from there, so
 * time in the log never runs backwards across restarts.
 */
export function planClock(anchorFile: string, planStartIso: string, realNow: Date): { clock: Clock; planTime: Date } {
  let anchor: z.infer<typeof anchorSchema>;
  try {
    anchor = anchorSchema.parse(JSON.parse(readFileSync(anchorFile, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${anchorFile} is not a clock anchor file; delete it to start the plan's clock anew`, { cause: error });
    anchor = { planTime: new Date(planStartIso).toISOString(), realTime: realNow.toISOString() };
    mkdirSync(dirname(anchorFile), { recursive: true });
    writeFileSync(`${anchorFile}.tmp`, `${JSON.stringify(anchor, null, 2)}\n`);
    renameSync(`${anchorFile}.tmp`, anchorFile);
  }
  const planTime = new Date(Date.parse(anchor.planTime) + (realNow.getTime() - Date.parse(anchor.realTime)));
  return { clock: new SimulatedClock(planTime.toISOString()), planTime };
}
