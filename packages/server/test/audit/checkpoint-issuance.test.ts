import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCheckpoint } from '@duban/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditFiles } from '../../src/audit/keys/audit-files.ts';
import { defaultOrigin } from '../../src/audit/keys/log-origin.ts';
import { splitCheckpoints } from '../../src/audit/checkpoints/checkpoint-file.ts';
import { readPublicKey } from '../../src/audit/keys/read-public-key.ts';
import { createLogger } from '../../src/app/create-logger.ts';
import { loadPlanFile } from '../../src/plans/load-plan-file.ts';
import { repoPaths } from '../../src/app/repo-paths.ts';
import type { CheckpointPolicy } from '../../src/audit/checkpoints/checkpoint-issuer.ts';
import type { RunningServer } from '../../src/app/run-server.ts';
import { runServer } from '../../src/app/run-server.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { taskId } from '../support/test-server.ts';
import { runCli } from '../support/run-cli.ts';

const logger = createLogger({ level: 'silent' });

async function serve(db: string, checkpoints: CheckpointPolicy, clock = new ManualClock('2023-05-10T09:00:00+08:00')): Promise<RunningServer> {
  const plan = await loadPlanFile(repoPaths.samplePlan);
  return runServer({ db, port: 0, host: '127.0.0.1', clock, logger, rateLimit: 0, plan, checkpoints });
}

async function progress(server: RunningServer, times: number): Promise<void> {
  const { token } = await server.tokens.create({ role: 'unit', unit: '市水务局' }, new Date('2023-05-10T09:00:00+08:00'));
  const send = (body: unknown) =>
    fetch(`${server.url}/api/tasks/${taskId(7)}/events`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if ((await server.engine.getInstance(taskId(7)))?.snapshot.value === 'assigned') expect((await send({ type: 'START' })).status).toBe(200);
  for (let i = 0; i < times; i++) expect((await send({ type: 'PROGRESS', summary: `进展${i}` })).status).toBe(200);
}

const sizes = async (server: RunningServer) => (await server.engine.checkpoints()).map((c) => c.size);
const fileSizes = (file: string) => splitCheckpoints(readFileSync(file, 'utf8')).map((t) => Number(t.split('\n')[1]));

describe('the server signs checkpoints', () => {
  let dir: string;
  let db: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'duban-issue-'));
    db = join(dir, 'served.db');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given a new database, when the server first starts, takes entries and restarts, then it makes a private signing key beside the database, signs the imported plan, every 5th entry and what is left at shutdown', async () => {
    const server = await serve(db, { minIntervalMs: 0, everyEntries: 5, intervalMs: 0 });
    try {
      const files = auditFiles(db)!;
      expect(statSync(files.keyDir).mode & 0o777).toBe(0o700);
      expect(statSync(files.keyFile).mode & 0o777).toBe(0o600);
      expect(await sizes(server)).toEqual([71]);
      const [checkpoint] = await server.engine.checkpoints();
      expect(checkpoint!.origin).toBe('duban/served.db');
      expect(openCheckpoint(checkpoint!.text, server.checkpoints.signer.publicKey).ok).toBe(true);
      expect(fileSizes(files.checkpointFile)).toEqual([71]);

      // When 6 entries are added (START and 5 progress reports), then a checkpoint follows the 5th.
      await progress(server, 5);
      await expect.poll(() => sizes(server), { timeout: 10_000 }).toContain(76);
    } finally {
      await server.close();
    }
    // Shutdown signs what is left, in the database and in the checkpoint file.
    const reopened = await serve(db, { minIntervalMs: 0, everyEntries: 5, intervalMs: 0 });
    try {
      const all = await sizes(reopened);
      expect(all.slice(0, 2)).toEqual([71, 76]);
      expect(all.at(-1)).toBe(77);
      expect(fileSizes(auditFiles(db)!.checkpointFile)).toEqual(all);
      expect(splitCheckpoints(readFileSync(auditFiles(db)!.checkpointFile, 'utf8'))).toEqual((await reopened.engine.checkpoints()).map((c) => c.text));
    } finally {
      await reopened.close();
    }
  });

  it('given a database copied to another name, when the server starts on it and takes an entry, then the same key signs and the log keeps its first name', async () => {
    const renamed = join(dir, 'renamed.db');
    for (const suffix of ['', '.keys', '.checkpoints']) cpSync(`${db}${suffix}`, `${renamed}${suffix}`, { recursive: true });
    const server = await serve(renamed, { minIntervalMs: 0, everyEntries: 0, intervalMs: 0 });
    try {
      expect(server.checkpoints.signer.origin).toBe('duban/served.db');
      expect(defaultOrigin(renamed)).toBe('duban/renamed.db');
      await progress(server, 1);
    } finally {
      await server.close();
    }
    const latest = (await readCheckpointsOf(renamed)).at(-1)!;
    expect(latest.split('\n')[0]).toBe('duban/served.db');
    expect(openCheckpoint(latest, await readPublicKey(auditFiles(db)!.keyFile)).ok).toBe(true);
  });

  it('given the checkpoint file lost, when the server starts, then it writes every stored checkpoint back', async () => {
    const file = auditFiles(db)!.checkpointFile;
    rmSync(file);
    const server = await serve(db, { minIntervalMs: 0, everyEntries: 0, intervalMs: 0 });
    try {
      expect(fileSizes(file)).toEqual(await sizes(server));
    } finally {
      await server.close();
    }
  });

  it('given another key in the key directory, when the server starts, then it refuses rather than sign with it', async () => {
    const other = join(dir, 'other.db');
    for (const suffix of ['', '.checkpoints']) cpSync(`${db}${suffix}`, `${other}${suffix}`);
    const { privateKey } = generateKeyPairSync('ed25519');
    const files = auditFiles(other)!;
    cpSync(`${db}.keys`, files.keyDir, { recursive: true });
    writeFileSync(files.keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await expect(serve(other, { minIntervalMs: 0, everyEntries: 0, intervalMs: 0 })).rejects.toThrow(/is not this database's checkpoint key ed25519:[0-9a-f]{16}/);
  });

  it('given an interval, when an entry is added, then it is signed without waiting for the count', async () => {
    const server = await serve(db, { minIntervalMs: 0, everyEntries: 0, intervalMs: 50 });
    try {
      const before = await server.engine.auditSize();
      await progress(server, 1);
      await expect.poll(async () => (await sizes(server)).at(-1), { timeout: 10_000 }).toBe(before + 1);
    } finally {
      await server.close();
    }
  });

  it('when `audit pubkey` runs, then it prints the PEM a reviewer keeps and names the key, or says where the missing key should be', async () => {
    const result = await runCli('audit', 'pubkey', '--db', db);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----$/);
    expect(result.err).toMatch(/key ed25519:[0-9a-f]{16} of log duban\/served\.db/);
    const missing = await runCli('audit', 'pubkey', '--db', join(dir, 'other.db'), '--key-dir', join(dir, 'nowhere'));
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no audit signing key at .*nowhere.*audit-signing\.pem: the server makes it when it first starts/);
  });
});

async function readCheckpointsOf(db: string): Promise<string[]> {
  return splitCheckpoints(readFileSync(auditFiles(db)!.checkpointFile, 'utf8'));
}

describe('where the audit files live', () => {
  it('beside a SQLite file, in --key-dir when given, in memory for :memory:, and only with a key directory for PostgreSQL', () => {
    expect(auditFiles('/srv/duban/duban.db')).toEqual({ keyDir: '/srv/duban/duban.db.keys', keyFile: '/srv/duban/duban.db.keys/audit-signing.pem', checkpointFile: '/srv/duban/duban.db.checkpoints' });
    expect(auditFiles('/srv/duban/duban.db', '/etc/duban')).toMatchObject({ keyFile: '/etc/duban/audit-signing.pem', checkpointFile: '/srv/duban/duban.db.checkpoints' });
    expect(auditFiles(':memory:')).toBeUndefined();
    expect(() => auditFiles('postgres://duban@127.0.0.1/duban')).toThrow(/give --key-dir DIR \(or set DUBAN_KEY_DIR\)/);
    expect(auditFiles('postgres://duban@127.0.0.1/duban', '/etc/duban')).toEqual({ keyDir: '/etc/duban', keyFile: '/etc/duban/audit-signing.pem', checkpointFile: '/etc/duban/checkpoints.txt' });
    expect(defaultOrigin('postgres://duban:secret@127.0.0.1:5432/reform_2023')).toBe('duban/reform_2023');
    expect(defaultOrigin('/data/督办 数据.db')).toBe('duban/督办_数据.db');
  });

  it('given a bad checkpoint option, when serve runs, then it exits 2 naming the option and makes no database', async () => {
    for (const [flag, value] of [['--checkpoint-every', '1.5'], ['--checkpoint-minutes', 'ten'], ['--checkpoint-minutes', '99999']] as const) {
      const result = await runCli('serve', '--db', join(tmpdir(), 'never-created.db'), flag, value);
      expect(result.code, `${flag} ${value}`).toBe(2);
      expect(result.err.split('\n')[0]).toMatch(new RegExp(`${flag} must be an integer from 0 to`));
    }
    expect(existsSync(join(tmpdir(), 'never-created.db'))).toBe(false);
  });
});
