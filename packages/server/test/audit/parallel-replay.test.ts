import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, ReplayResult } from '@duban/engine';
import { Engine, replayInParallel, replayLog } from '@duban/engine';
import { workflows, workflowsModule } from '../../src/app/workflows.ts';
import { CurrentPlan, PlanReader } from '../../src/reports/index.ts';
import { DATE_A, DATE_B, runScenario } from '../reports/scenario.ts';

const COPIES = 40;

/**
 * The scenario's log (eight tasks through start, progress, reports, rejections, urges, interviews,
 * referrals, extensions, instructions, cancellation, closing and the timers' warnings, deadlines and
 * escalations) for COPIES plans at once: each task copied under another id, the copies' entries
 * interleaved in time order as many servers' tasks would be. Then broken here and there, so that
 * replay has differences to report: a creation missing, one repeated, a state that does not follow,
 * a version skipped.
 */
function manyTasks(log: AuditEntry[]): AuditEntry[] {
  const entries: AuditEntry[] = [];
  for (const entry of log) {
    for (let copy = 0; copy < COPIES; copy++) entries.push({ ...entry, instanceId: `${entry.instanceId}~${copy}`, seq: entries.length + 1 });
  }
  const at = (copy: number, task: string, type: string) => entries.findIndex((e) => e.instanceId === `${task}~${copy}` && e.type === type);
  const [first, second] = [log[0]!.instanceId, log[1]!.instanceId];
  entries.splice(at(3, first, 'CREATE'), 1);
  entries.splice(at(5, second, 'START') + 1, 0, { ...entries[at(5, second, 'CREATE')]!, seq: 0 });
  const reported = at(7, second, 'REPORT');
  entries[reported] = { ...entries[reported]!, to: 'closed' };
  const started = at(9, first, 'START');
  entries[started] = { ...entries[started]!, version: 5 };
  return entries.map((entry, i) => ({ ...entry, seq: i + 1 }));
}

/** The serial replay's instances without their XState snapshots (a cache of live objects, never sent across threads). */
function comparable(result: ReplayResult) {
  return { entries: result.entries, differences: result.differences, instances: [...result.instances].map(([id, { machineSnapshot: _live, ...instance }]) => [id, instance]) };
}

describe('replay across threads', () => {
  let engine: Engine;
  let entries: AuditEntry[];
  beforeAll(async () => {
    engine = await runScenario();
    const log: AuditEntry[] = [];
    for await (const entry of engine.entries()) log.push(entry);
    entries = manyTasks(log);
  });
  afterAll(() => engine.close());

  it('given a log of many tasks with every kind of event and some broken entries, when replayed on 2 and on 3 threads, then the result is the serial replay’s: the same states, versions and differences, in the same order', async () => {
    const serial = comparable(await replayLog(engine.registry, entries));
    // The log is what the test says it is: every task copied, differences to find.
    expect(serial.instances.length).toBe(8 * COPIES - 1);
    expect(new Set(entries.map((e) => e.type)).size).toBeGreaterThanOrEqual(16);
    expect(serial.differences.map((d) => d.reason)).toEqual(
      expect.arrayContaining([expect.stringMatching(/before the instance was created/), 'created twice', expect.stringMatching(/^logged state closed/), expect.stringMatching(/^version 5 follows/)]),
    );

    for (const count of [2, 3]) {
      const parallel = await replayInParallel({ count, workflows: workflowsModule }, entries);
      expect(comparable(parallel)).toEqual(serial);
    }
  });

  it('given the same log, when replayed as of a past instant on 2 threads, then the states are the serial replay’s as of that instant', async () => {
    const serial = comparable(await replayLog(engine.registry, entries, DATE_A.getTime()));
    expect(serial.entries).toBeLessThan(entries.length);
    expect(comparable(await replayInParallel({ count: 2, workflows: workflowsModule }, entries, DATE_A.getTime()))).toEqual(serial);
  });

  it('given an engine that names no workflows module, when asked to replay on 2 threads, then it refuses, saying what it needs', async () => {
    await expect(engine.replay(undefined, { workers: 2 })).rejects.toThrow(/workflowsModule/);
    await expect(engine.replay(undefined, { workers: 0 })).rejects.toThrow(RangeError);
  });

  it('given the scenario, when the plan as of past days is read with its replay on 2 threads, then the facts are the serial reader’s', async () => {
    const threaded = new Engine(engine.store, workflows, { workflowsModule });
    for (const at of [DATE_A, DATE_B]) {
      const serial = await new PlanReader(engine, new CurrentPlan(engine)).replay(at.getTime());
      expect(serial.tasks.length).toBe(8);
      expect(await new PlanReader(threaded, new CurrentPlan(threaded), 2).replay(at.getTime())).toEqual(serial);
    }
  });
});
