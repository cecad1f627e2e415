import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyName, openCheckpoint } from '@duban/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_FILE_NAME } from '../../src/audit/keys/audit-files.ts';
import { publicKeyPem } from '../../src/audit/keys/audit-signing-key.ts';
import { readPublicKey } from '../../src/audit/keys/read-public-key.ts';
import { createLogger } from '../../src/app/create-logger.ts';
import { listDataTables } from '../../src/db/database-tables.ts';
import { loadPlanFile } from '../../src/plans/load-plan-file.ts';
import { openDuban } from '../../src/app/open-duban.ts';
import { repoPaths } from '../../src/app/repo-paths.ts';
import type { RunningServer } from '../../src/app/run-server.ts';
import { runServer } from '../../src/app/run-server.ts';
import { UserError } from '../../src/user-error.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { onPostgres, reopenableDatabase, taskId } from '../support/test-server.ts';

const logger = createLogger({ level: 'silent' });
const water = { role: 'unit', unit: '市水务局' } as const;

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'duban-key-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dirs = 0;
/** A new, empty key directory: a server started with it makes a key of its own. */
const emptyKeyDir = () => join(root, `keys-${++dirs}`);

/** `duban serve` on `db` with `keyDir`, the plan imported, checkpoints only at start and shutdown. */
async function serve(db: string, keyDir: string): Promise<RunningServer> {
  const plan = await loadPlanFile(repoPaths.samplePlan);
  return runServer({ db, keyDir, port: 0, host: '127.0.0.1', clock: new ManualClock('2023-05-10T09:00:00+08:00'), logger, rateLimit: 0, plan, checkpoints: { minIntervalMs: 0, everyEntries: 0, intervalMs: 0 } });
}

/** The key directory's key name, as `duban audit pubkey` names it. */
const keyNameIn = async (keyDir: string) => keyName(await readPublicKey(join(keyDir, KEY_FILE_NAME)));

/** Opens the database (no server), runs `work`, closes it. */
async function withDatabase<T>(db: string, work: (duban: Awaited<ReturnType<typeof openDuban>>) => Promise<T>): Promise<T> {
  const duban = await openDuban(db, { create: false });
  try {
    return await work(duban);
  } finally {
    await duban.close();
  }
}

/** Every data table's rows in key order. */
const dump = (db: string) =>
  withDatabase(db, async ({ engine }) => {
    const tables: Record<string, unknown[]> = {};
    for (const table of await listDataTables(engine.store.kysely, engine.store.dialect)) {
      let select = engine.store.kysely.selectFrom(table.name).selectAll();
      for (const column of table.primaryKey) select = select.orderBy(column);
      tables[table.name] = await select.execute();
    }
    return tables;
  });

/** One more entry in the log, so that a server that starts would sign a checkpoint. */
const growLog = (db: string, summary: string) =>
  withDatabase(db, async ({ engine }) => {
    const task = await engine.getInstance(taskId(7));
    if (task?.snapshot.value === 'assigned') await engine.send(taskId(7), { type: 'START' }, water, new Date('2023-05-11T09:00:00+08:00'));
    await engine.send(taskId(7), { type: 'PROGRESS', payload: { summary } }, water, new Date('2023-05-11T10:00:00+08:00'));
  });

const recordedKey = (db: string) => withDatabase(db, ({ engine }) => engine.store.kysely.selectFrom('checkpoint_key').select(['key_name', 'public_key']).execute());

describe('one signing key per database', () => {
  it('given a database whose first server recorded its key, when a server with a key of its own starts on it, then it refuses, naming both keys, and writes nothing', async () => {
    const db = await reopenableDatabase();
    const first = emptyKeyDir();
    await (await serve(db, first)).close();
    const firstKey = await keyNameIn(first);
    expect(await recordedKey(db)).toEqual([{ key_name: firstKey, public_key: publicKeyPem(await readPublicKey(join(first, KEY_FILE_NAME))) }]);

    await growLog(db, '第一次');
    const before = await dump(db);
    const second = emptyKeyDir();
    const refused = await serve(db, second).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UserError);
    const message = (refused as Error).message;
    expect(message).toMatch(/^审计签名密钥与本数据库登记的不同，拒绝启动 \/ the audit signing key /);
    expect(message).toContain(`${join(second, KEY_FILE_NAME)} (${await keyNameIn(second)}) is not this database's checkpoint key ${firstKey}`);
    expect(message).toContain(`Copy ${KEY_FILE_NAME} from the key directory of a server that runs with ${firstKey}`);
    expect(message).toContain('Nothing was written to the database.');
    // Not the grown log's checkpoint, not the plan again, not the key: nothing.
    expect(await dump(db)).toEqual(before);
  });

  it('given the first server\'s key copied to a second, when both serve one database at once, then every checkpoint is signed by that key', async () => {
    const db = await reopenableDatabase();
    const first = emptyKeyDir();
    const a = await serve(db, first);
    const copy = emptyKeyDir();
    cpSync(first, copy, { recursive: true });
    try {
      await growLog(db, '第二次');
      const b = await serve(db, copy);
      await b.close();
    } finally {
      await a.close();
    }
    const publicKey = await readPublicKey(join(first, KEY_FILE_NAME));
    const checkpoints = await withDatabase(db, ({ engine }) => engine.checkpoints());
    // At the first start (the plan), at the second (the entry added), at shutdown none new.
    expect(checkpoints.map((c) => c.size)).toEqual([71, 73]);
    for (const c of checkpoints) expect(openCheckpoint(c.text, publicKey).ok).toBe(true);
    expect(await recordedKey(db)).toEqual([{ key_name: keyName(publicKey), public_key: publicKeyPem(publicKey) }]);
  });

  it('given a database signed before keys were recorded, when servers start on it, then only the key of its latest checkpoint starts, and it is recorded', async () => {
    const db = await reopenableDatabase();
    const first = emptyKeyDir();
    await (await serve(db, first)).close();
    // As a database from before 0004-checkpoint-key is after migrating: checkpoints, no recorded key.
    await withDatabase(db, ({ engine }) => engine.store.kysely.deleteFrom('checkpoint_key').execute());
    await growLog(db, '第三次');

    const before = await dump(db);
    const other = emptyKeyDir();
    const refused = await serve(db, other).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as Error).message).toMatch(
      new RegExp(`^审计签名密钥不是本数据库最新检查点的签名密钥，拒绝启动 / the audit signing key .* \\(${await keyNameIn(other)}\\) is not the key that signed this database's checkpoints: its latest checkpoint \\(size 71\\) names ${await keyNameIn(first)}`),
    );
    expect(await dump(db)).toEqual(before);

    const adopted = await serve(db, first);
    await adopted.close();
    expect(await recordedKey(db)).toEqual([{ key_name: await keyNameIn(first), public_key: publicKeyPem(await readPublicKey(join(first, KEY_FILE_NAME))) }]);
    expect((await withDatabase(db, ({ engine }) => engine.checkpoints())).map((c) => c.size)).toEqual([71, 73]);
  });

  it.skipIf(!onPostgres)('given one PostgreSQL database and two empty key directories, when two servers start on it at the same moment, then one starts and the other refuses', async () => {
    const db = await reopenableDatabase();
    const dirsOfBoth = [emptyKeyDir(), emptyKeyDir()];
    const started = await Promise.allSettled(dirsOfBoth.map((dir) => serve(db, dir)));
    const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const refusals = started.flatMap((s) => (s.status === 'rejected' ? [s.reason as Error] : []));
    await Promise.all(running.map((s) => s.close()));
    expect(running).toHaveLength(1);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toBeInstanceOf(UserError);
    const winner = running[0]!.checkpoints.signer.keyName;
    expect(refusals[0]!.message).toContain(`is not this database's checkpoint key ${winner}`);
    const publicKey = running[0]!.checkpoints.signer.publicKey;
    for (const c of await withDatabase(db, ({ engine }) => engine.checkpoints())) expect(openCheckpoint(c.text, publicKey).ok).toBe(true);
  });
});
