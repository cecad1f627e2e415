import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresSchema, postgresSkipReason, postgresUrl } from '../../packages/engine/test/support/test-database.ts';
import { openDuban } from '../../packages/server/src/index.ts';
import { client, duban, samplePlanJson, serve, taskId } from '../http/support/duban-process.ts';

describe.skipIf(postgresUrl === undefined)(`moving a SQLite database to PostgreSQL${postgresSkipReason}`, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'duban-pg-move-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given a served SQLite database, when migrate-db copies it, then the copy verifies (checkpoints too) and replays identically', { timeout: 120_000 }, async () => {
    const file = join(dir, 'duban.db');
    const server = await serve(file, ['--plan', samplePlanJson, '--clock', '2023-05-10T09:00:00+08:00']);
    const sqlite = await openDuban(file, { create: false });
    const water = client(server.url, (await sqlite.tokens.create({ role: 'unit', unit: '市水务局' }, new Date('2023-05-10T01:00:00Z'))).token);
    expect((await water.event(taskId(7), { type: 'START' })).status).toBe(200);
    expect((await water.event(taskId(7), { type: 'REPORT', summary: '完成', evidence: [{ title: '总结' }] })).status).toBe(200);
    expect(await server.stop()).toBe(0);
    expect((await sqlite.engine.fireDue(new Date('2023-07-01T00:00:00+08:00'))).fired.length).toBeGreaterThan(0);
    const pg = await freshPostgresSchema();

    const moved = await duban('migrate-db', '--from', file, '--to', pg);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toMatch(/^copied +audit_log +\d+$/m);
    expect(moved.stdout).toMatch(/replay matches all 71 stored tasks/);

    // The signing key stays with the deployment: the SQLite file's key verifies the copied checkpoints.
    const verified = await duban('audit', 'verify', '--db', pg, '--key-dir', `${file}.keys`);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    const postgres = await openDuban(pg, { create: false });
    for (const asOf of ['2023-05-10T12:00:00+08:00', '2023-06-01T00:00:00+08:00', '2023-07-01T00:00:00+08:00']) {
      expect(await postgres.engine.snapshotsAt(new Date(asOf)), asOf).toEqual(await sqlite.engine.snapshotsAt(new Date(asOf)));
    }
    expect(await postgres.engine.replay()).toEqual(await sqlite.engine.replay());
    expect((await postgres.engine.replay()).differences).toEqual([]);
    await Promise.all([postgres.close(), sqlite.close()]);
  });
});
