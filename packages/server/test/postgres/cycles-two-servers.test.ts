import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresSchema, postgresSkipReason, postgresUrl } from '../../../engine/test/support/test-database.ts';
import type { TestServer } from '../support/test-server.ts';
import { PLAN_ID, startTestServer } from '../support/test-server.ts';

describe.skipIf(postgresUrl === undefined)(`reporting cycles with two servers on one PostgreSQL database${postgresSkipReason}`, () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    const db = await freshPostgresSchema();
    first = await startTestServer({ db });
    second = await startTestServer({ db, seed: async () => undefined });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('given the plan\'s cycles and task 2\'s own set on one server, when both servers fire due timers at the same moment past the reminders and the due days, then each schedule\'s timers fire once: one REMIND, one CYCLE_DUE, one notice per unit each', async () => {
    const office = await first.token('office');
    const set = await first.request(`/api/plans/${PLAN_ID}/cycles`, { method: 'PUT', token: office, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ frequency: 'monthly', day: 5 }) });
    expect(set.status, await set.clone().text()).toBe(200);
    // Task 2's own cycles: monthly on the 3rd (reminded 31 May, due at the end of 3 June), its own timers.
    const own = await first.request(`/api/plans/${PLAN_ID}/cycles/tasks/2`, { method: 'PUT', token: office, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ frequency: 'monthly', day: 3 }) });
    expect(own.status, await own.clone().text()).toBe(200);

    for (const at of ['2023-06-02T09:00:00+08:00', '2023-06-06T00:00:00+08:00']) {
      first.clock.set(at);
      second.clock.set(at);
      await Promise.all([first.engine.fireDue(first.clock.now()), second.engine.fireDue(second.clock.now()), first.engine.fireDue(first.clock.now()), second.engine.fireDue(second.clock.now())]);
    }
    for (const id of [`cycles:${PLAN_ID}`, `cycles:${PLAN_ID}#2`]) {
      const entries = (await first.engine.history(id)).map((entry) => entry.type);
      expect(entries.filter((type) => type === 'REMIND'), id).toHaveLength(1);
      expect(entries.filter((type) => type === 'CYCLE_DUE'), id).toHaveLength(1);
    }
    for (const type of ['REMIND', 'CYCLE_DUE']) {
      const notices = await first.db.selectFrom('notification').select(['unit']).where('type', '=', type).execute();
      expect(notices.length, type).toBeGreaterThan(0);
    }
    const fired = [...(await first.engine.history(`cycles:${PLAN_ID}`)), ...(await first.engine.history(`cycles:${PLAN_ID}#2`))].filter((entry) => entry.type === 'REMIND' || entry.type === 'CYCLE_DUE');
    expect(fired).toHaveLength(4);
    // One notice per unit per firing entry.
    for (const seq of fired.map((entry) => entry.seq)) {
      const notices = await first.db.selectFrom('notification').select(['unit']).where('entry_seq', '=', seq).execute();
      expect(notices.length).toBeGreaterThan(0);
      expect(new Set(notices.map((row) => row.unit)).size).toBe(notices.length);
    }
    const taskRows = await first.db.selectFrom('cycle_part').select(['task_id', 'schedule']).where('cycle_key', '=', '2023-06').where('schedule', '=', 'task').execute();
    expect(taskRows.map((row) => row.task_id)).toEqual(Array(5).fill(`${PLAN_ID}.002`));
    expect(await first.db.selectFrom('cycle_part').select('unit').where('schedule', '=', 'plan').where('task_id', '=', `${PLAN_ID}.002`).execute()).toEqual([]);
    const status = (await (await second.request(`/api/plans/${PLAN_ID}/cycles/2023-06/reports`, { token: await second.token('office') })).json()) as { closed: boolean; parts: unknown[] };
    expect(status.closed).toBe(true);
    expect(await first.db.selectFrom('cycle_part').select('unit').where('cycle_key', '=', '2023-06').execute()).toHaveLength(status.parts.length);
    expect(await first.engine.verify()).toMatchObject({ ok: true });
  });
});
