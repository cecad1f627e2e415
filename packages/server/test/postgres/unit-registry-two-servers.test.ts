import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresSchema, postgresSkipReason, postgresUrl } from '../../../engine/test/support/test-database.ts';
import type { TestServer } from '../support/test-server.ts';
import { startTestServer, taskId } from '../support/test-server.ts';

describe.skipIf(postgresUrl === undefined)(`the unit registry with two servers on one PostgreSQL database${postgresSkipReason}`, () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    const db = await freshPostgresSchema();
    // Given two servers on one database, each holding its own copy of the registry, checked against the version row on every request.
    first = await startTestServer({ db, unitsMaxAgeMs: 0 });
    second = await startTestServer({ db, unitsMaxAgeMs: 0, seed: async () => undefined });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('given the registry seeded once by the first server, when the second opens the same database, then it holds the same units and seeds nothing again', async () => {
    const rows = await second.db.selectFrom('unit').select(({ fn }) => fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(rows.n)).toBe(first.duban.units.units.length);
    expect(second.duban.units.units.map((unit) => unit.name)).toEqual(first.duban.units.units.map((unit) => unit.name));
  });

  it('given an alias added on the first server, when the office reassigns a task to it on the second, then the second server already knows it', async () => {
    const admin = await first.token('admin');
    const added = await first.request(`/api/units/${encodeURIComponent('市发改委')}`, {
      method: 'PATCH',
      token: admin,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ addAliases: ['市发展和改革委员会'] }),
    });
    expect(added.status, await added.clone().text()).toBe(200);
    expect(second.duban.units.get('市发展和改革委员会')).toBeUndefined();

    const office = await second.token('office');
    const response = await second.send(office, taskId(2), { type: 'REASSIGN', leadUnits: ['市发展和改革委员会'] });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(((await response.json()) as { task: { leadUnits: string[] } }).task.leadUnits).toEqual(['市发改委']);
    expect(second.duban.units.canonical('市发展和改革委员会')).toBe('市发改委');
  });

  it('given both servers adding the same new unit at once, when both commit, then exactly one succeeds, the other is refused with 409, and the log holds one entry for it', async () => {
    const [a, b] = [await first.token('admin'), await second.token('admin')];
    const add = (server: TestServer, token: string) =>
      server.request('/api/units', { method: 'POST', token, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: '市数据局', kind: 'city-department' }) });
    const statuses = (await Promise.all([add(first, a), add(second, b)])).map((response) => response.status).sort();
    expect(statuses).toEqual([201, 409]);
    const entries = [];
    for await (const entry of first.engine.entries({ instanceId: 'organisation' })) entries.push(entry);
    expect(entries.filter((entry) => JSON.stringify(entry.payload).includes('市数据局'))).toHaveLength(1);
    expect(await first.engine.verify()).toMatchObject({ ok: true });
  });
});
