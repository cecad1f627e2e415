import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runCli as run } from './support/run-cli.ts';
import { listDataTables } from '../src/db/database-tables.ts';
import { importPlan } from '../src/plans/import-plan.ts';
import { loadPlanFile } from '../src/plans/load-plan-file.ts';
import { openDuban } from '../src/app/open-duban.ts';
import type { Duban } from '../src/app/open-duban.ts';
import { repoPaths } from '../src/app/repo-paths.ts';
import { onPostgres, reopenableDatabase, taskId } from './support/test-server.ts';

const water = { role: 'unit', unit: '市水务局' } as const;
const office = { role: 'office', unit: null } as const;

/**
 * Given a database as a server leaves it: the plan imported, tokens, task 7 started (with an idempotency
 * key) and reported, the office urging task 5, June's timers fired, and a signed checkpoint.
 */
async function servedDatabase(): Promise<{ location: string; token: string }> {
  const location = await reopenableDatabase();
  const duban = await openDuban(location, { create: true });
  const { plan, planId } = await loadPlanFile(repoPaths.samplePlan);
  await importPlan(duban.engine, plan, planId, new Date('2023-05-10T01:00:00Z'), { units: duban.units });
  const { token } = await duban.tokens.create({ role: 'unit', unit: '市水务局' }, new Date('2023-05-10T01:00:00Z'));
  await duban.tokens.create({ role: 'office' }, new Date('2023-05-10T01:00:00Z'));
  await duban.engine.send(taskId(7), { type: 'START', payload: {} }, water, new Date('2023-05-11T02:00:00Z'), { idempotencyKey: 'k7', fingerprint: 'f7' });
  await duban.engine.send(taskId(7), { type: 'REPORT', payload: { summary: '完成', evidence: [{ title: '总结' }] } }, water, new Date('2023-05-20T02:00:00Z'));
  await duban.engine.send(taskId(5), { type: 'URGE', payload: { message: '请加快进度' } }, office, new Date('2023-05-21T02:00:00Z'));
  await duban.engine.fireDue(new Date('2023-07-01T00:00:00+08:00'));
  const { privateKey } = generateKeyPairSync('ed25519');
  await duban.engine.issueCheckpoint({ origin: 'duban/test', privateKey }, new Date('2023-07-01T01:00:00Z'));
  await duban.close();
  return { location, token };
}

/** Every data table's rows in key order. */
async function dump(duban: Duban): Promise<Record<string, unknown[]>> {
  const db = duban.engine.store.kysely;
  const tables: Record<string, unknown[]> = {};
  for (const table of await listDataTables(db, duban.engine.store.dialect)) {
    let select = db.selectFrom(table.name).selectAll();
    for (const column of table.primaryKey) select = select.orderBy(column);
    tables[table.name] = await select.execute();
  }
  return tables;
}

describe('duban migrate-db', () => {
  it('given a served database, when copied into an empty one, then every table arrives as it was, verified, and the copy serves on', async () => {
    const { location: from, token } = await servedDatabase();
    const to = await reopenableDatabase();

    const result = await run('migrate-db', '--from', from, '--to', to);
    expect(result.code, result.err).toBe(0);

    const [source, target] = [await openDuban(from, { create: false }), await openDuban(to, { create: false })];
    const copied = await dump(target);
    expect(copied).toEqual(await dump(source));
    // Counts per table are printed, engine and server tables alike, and the arrival check is reported.
    for (const [name, rows] of Object.entries(copied)) expect(result.out).toMatch(new RegExp(`^copied +${name} +${rows.length}$`, 'm'));
    expect(Object.keys(copied)).toEqual(expect.arrayContaining(['workflow_instance', 'instance_tag', 'audit_log', 'timer', 'idempotency', 'checkpoint', 'api_token']));
    expect(copied['audit_log']!.length).toBeGreaterThan(71);
    expect(result.out).toMatch(/verified .*: audit log intact \(\d+ entries, head [0-9a-f]{64}\); replay matches all 71 stored tasks/);
    // The copy goes on where the source stopped: its tokens, idempotency records, ids and timers work.
    expect(await target.tokens.authenticate(token, new Date())).toMatchObject({ role: 'unit', unit: '市水务局' });
    const retry = await target.engine.send(taskId(7), { type: 'START', payload: {} }, water, new Date('2023-07-02T02:00:00Z'), { idempotencyKey: 'k7', fingerprint: 'f7' });
    expect(retry.replayed).toBe(true);
    const another = await target.tokens.create({ role: 'reviewer' }, new Date('2023-07-02T02:00:00Z'));
    expect(another.record.id).toBe(3);
    expect((await target.engine.fireDue(new Date('2023-08-31T00:00:00+08:00'))).fired.length).toBeGreaterThan(0);
    expect(await target.engine.verify()).toMatchObject({ ok: true });
    await Promise.all([source.close(), target.close()]);
  });

  it('given a target that holds data, when a database is copied into it, then it is refused, naming what is there, and nothing is copied', async () => {
    const { location: from } = await servedDatabase();
    const to = await reopenableDatabase();
    const occupied = await openDuban(to, { create: true, unitsFile: null });
    await occupied.tokens.create({ role: 'admin' }, new Date('2023-05-10T01:00:00Z'));
    await occupied.close();

    const result = await run('migrate-db', '--from', from, '--to', to);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^duban: the target .* is not empty \(api_token: 1\); migrate-db copies into an empty database only/m);
    const after = await openDuban(to, { create: false });
    expect(await after.engine.auditSize()).toBe(0);
    expect(await after.tokens.list()).toHaveLength(1);
    await after.close();
  });

  it('given a source whose audit log was edited, when it is copied, then it is refused with the bad seq and no target is made', async () => {
    const { location: from } = await servedDatabase();
    const tamper = await openDuban(from, { create: false });
    const db = tamper.engine.store.kysely;
    await sql.raw(onPostgres ? 'ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change' : 'DROP TRIGGER audit_log_no_update').execute(db);
    await sql`UPDATE audit_log SET payload = '{"summary":"伪造"}' WHERE seq = 73`.execute(db);
    await tamper.close();
    const to = await reopenableDatabase();

    const result = await run('migrate-db', '--from', from, '--to', to);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/the audit log is broken at seq 73: .*nothing was copied from a broken log/);
    if (!onPostgres) expect(existsSync(to)).toBe(false);
    else {
      const target = await openDuban(to, { create: false });
      expect(await target.engine.auditSize()).toBe(0);
      await target.close();
    }
  });

  it('given bad arguments, when migrate-db runs, then it prints one line naming them and exits 2', async () => {
    const location = await reopenableDatabase();
    for (const [argv, message] of [
      [['migrate-db', '--from', location], /--to is required/],
      [['migrate-db', '--to', location], /--from is required/],
      [['migrate-db', '--from', location, '--to', location], /--from and --to name the same database/],
      [['migrate-db', '--from', ':memory:', '--to', location], /--from must be a file or a postgres:\/\/ URL/],
    ] as const) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err.split('\n')[0]).toMatch(message);
    }
  });
});
