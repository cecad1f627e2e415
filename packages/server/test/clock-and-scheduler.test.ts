import { repositoryUnits } from '@duban/plan';
import { Engine, openStore } from '@duban/engine';
import { reformTaskV1 } from '@duban/reform-task';
import { describe, expect, it, vi } from 'vitest';
import { SimulatedClock } from '../src/time/clock.ts';
import { createLogger } from '../src/app/create-logger.ts';
import { FixedWindowRateLimiter } from '../src/rate-limit/fixed-window-rate-limiter.ts';
import { importPlan } from '../src/plans/import-plan.ts';
import { loadPlanFile } from '../src/plans/load-plan-file.ts';
import { repoPaths } from '../src/app/repo-paths.ts';
import { Scheduler } from '../src/jobs/scheduler.ts';
import { ManualClock } from './support/manual-clock.ts';
import { freshDatabase } from '../../engine/test/support/test-database.ts';

describe('SimulatedClock', () => {
  it('starts at the given instant, runs with real time and moves forward on advance', () => {
    let real = 1_000;
    const clock = new SimulatedClock('2023-05-10T09:00:00+08:00', () => real);
    expect(clock.now().toISOString()).toBe('2023-05-10T01:00:00.000Z');
    real += 1_500;
    expect(clock.now().toISOString()).toBe('2023-05-10T01:00:01.500Z');
    clock.advance(86_400_000);
    expect(clock.now().toISOString()).toBe('2023-05-11T01:00:01.500Z');
    clock.advanceTo('2023-05-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2023-05-11T01:00:01.500Z');
    expect(() => clock.advance(-1)).toThrow();
    expect(() => new SimulatedClock('not a time')).toThrow();
  });
});

describe('FixedWindowRateLimiter', () => {
  it('allows `limit` hits per key per minute, then says how long to wait', async () => {
    const limiter = new FixedWindowRateLimiter(2);
    const at = new Date('2023-05-10T00:00:50Z');
    expect((await limiter.hit('a', at)).allowed).toBe(true);
    expect((await limiter.hit('a', at)).allowed).toBe(true);
    expect(await limiter.hit('a', at)).toEqual({ allowed: false, limit: 2, retryAfterSeconds: 10 });
    expect((await limiter.hit('b', at)).allowed).toBe(true);
    expect((await limiter.hit('a', new Date('2023-05-10T00:01:00Z'))).allowed).toBe(true);
  });
});

describe('Scheduler', () => {
  async function given() {
    const engine = new Engine(await openStore(await freshDatabase()), [reformTaskV1]);
    const { plan, planId } = await loadPlanFile(repoPaths.samplePlan);
    await importPlan(engine, plan, planId, new Date('2023-05-10T01:00:00Z'), { units: repositoryUnits });
    return engine;
  }

  it('fires what is due when started (catch-up after downtime), and again on each tick', async () => {
    const engine = await given();
    const clock = new ManualClock('2023-06-01T01:00:00Z');
    const scheduler = new Scheduler(engine, clock, createLogger({ level: 'silent' }), 60_000);
    const first = await scheduler.start();
    // The four tasks due 2023-05-31 were warned and became overdue.
    expect(first?.fired.filter((e) => e.type === 'DEADLINE_PASSED')).toHaveLength(4);
    expect((await scheduler.tick())?.fired).toEqual([]);
    clock.set('2023-07-01T01:00:00Z');
    expect((await scheduler.tick())?.fired.filter((e) => e.type === 'DEADLINE_PASSED')).toHaveLength(22);
    await scheduler.stop();
    await engine.close();
  });

  it('logs a failed round and keeps going', async () => {
    const engine = await given();
    const logged: string[] = [];
    const logger = createLogger({ level: 'error', destination: { write: (line: string) => void logged.push(line) } });
    const scheduler = new Scheduler(engine, new ManualClock('2023-06-01T01:00:00Z'), logger, 60_000);
    vi.spyOn(engine, 'fireDue').mockRejectedValueOnce(new Error('disk on fire'));
    expect(await scheduler.start()).toBeUndefined();
    expect(logged.join('')).toContain('disk on fire');
    expect((await scheduler.tick())?.fired.length).toBeGreaterThan(0);
    await scheduler.stop();
    await engine.close();
  });
});
