import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/create-logger.ts';
import { repoPaths } from '../../src/app/repo-paths.ts';
import type { RunningServer } from '../../src/app/run-server.ts';
import { runServer } from '../../src/app/run-server.ts';
import { DEFAULT_CHECKPOINT_POLICY } from '../../src/audit/checkpoints/checkpoint-issuer.ts';
import { loadPlanFile } from '../../src/plans/load-plan-file.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { ManualWakeups } from '../support/manual-wakeups.ts';
import { runSql } from '../support/tamper.ts';
import { taskId } from '../support/test-server.ts';
import { runCli } from '../support/run-cli.ts';

// The window in which entries have no signed checkpoint yet: after each commit when the log is quiet,
// at most every 2 s under load. The issuer's waits are driven by hand (ManualWakeups), never by the wall clock.

const dir = mkdtempSync(join(tmpdir(), 'duban-window-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the checkpoint window', () => {
  let db: string;
  let wakeups: ManualWakeups;
  let server: RunningServer;
  let logLines: string[];
  let send: (body: unknown) => Promise<Response>;

  beforeEach(async (context) => {
    db = join(dir, `${context.task.id}.db`);
    wakeups = new ManualWakeups();
    logLines = [];
    const plan = await loadPlanFile(repoPaths.samplePlan);
    const clock = new ManualClock('2023-05-10T09:00:00+08:00');
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void logLines.push(line) } });
    // The default policy, but for the minute's interval (a real timer), which these tests leave out.
    const checkpoints = { ...DEFAULT_CHECKPOINT_POLICY, intervalMs: 0 };
    server = await runServer({ db, port: 0, host: '127.0.0.1', clock, logger, rateLimit: 0, plan, checkpoints, checkpointWakeups: wakeups });
    const { token } = await server.tokens.create({ role: 'unit', unit: '市水务局' }, clock.now());
    send = (body) =>
      fetch(`${server.url}/api/tasks/${taskId(7)}/events`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  });
  afterEach(() => server.close());

  const sizes = async () => (await server.engine.checkpoints()).map((c) => c.size);
  const progress = async (n: number) => {
    for (let i = 0; i < n; i++) expect((await send({ type: 'PROGRESS', summary: `进展${i}` })).status).toBe(200);
  };

  it('given a quiet log, when one entry commits, then a signed checkpoint covering it follows without waiting for a count or a timer', async () => {
    expect(await sizes()).toEqual([71]);
    expect((await send({ type: 'START' })).status).toBe(200);
    await server.checkpoints.settled();
    expect(await sizes()).toEqual([71, 72]);
  });

  it('given a checkpoint just signed, when a burst of entries commits, then the next checkpoint waits out the 2 s and then covers the whole burst', async () => {
    expect((await send({ type: 'START' })).status).toBe(200);
    await server.checkpoints.settled();
    await progress(5);
    await server.checkpoints.settled();
    expect(await sizes()).toEqual([71, 72]);
    wakeups.advance(1_999);
    await server.checkpoints.settled();
    expect(await sizes()).toEqual([71, 72]);
    wakeups.advance(1);
    await server.checkpoints.settled();
    expect(await sizes()).toEqual([71, 72, 77]);
    // Quiet again after the 2 s: the next entry is signed at once.
    wakeups.advance(2_000);
    await progress(1);
    await server.checkpoints.settled();
    expect(await sizes()).toEqual([71, 72, 77, 78]);
  });

  it('given the entries ceiling, when that many entries wait within the 2 s, then they are signed without waiting out the rest', async () => {
    await server.close();
    wakeups = new ManualWakeups();
    const plan = await loadPlanFile(repoPaths.samplePlan);
    const clock = new ManualClock('2023-05-10T09:00:00+08:00');
    server = await runServer({ db, port: 0, host: '127.0.0.1', clock, logger: createLogger({ level: 'silent' }), rateLimit: 0, plan, checkpoints: { minIntervalMs: 2_000, everyEntries: 3, intervalMs: 0 }, checkpointWakeups: wakeups });
    const { token } = await server.tokens.create({ role: 'unit', unit: '市水务局' }, clock.now());
    send = (body) =>
      fetch(`${server.url}/api/tasks/${taskId(7)}/events`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const before = (await sizes()).at(-1)!;
    expect((await send({ type: 'START' })).status).toBe(200);
    await server.checkpoints.settled();
    await progress(3);
    await server.checkpoints.settled();
    expect((await sizes()).slice(-2)).toEqual([before + 1, before + 4]);
  });

  it('given signing that fails, when an entry commits, then the failure is logged and retried every 5 s until a checkpoint covers the entry', async () => {
    runSql(db, "CREATE TRIGGER checkpoint_refused BEFORE INSERT ON checkpoint BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    expect((await send({ type: 'START' })).status).toBe(200);
    await server.checkpoints.settled();
    expect(await sizes()).toEqual([71]);
    const failures = () => logLines.filter((l) => l.includes('signing a checkpoint failed; will retry')).length;
    expect(failures()).toBe(1);
    wakeups.advance(5_000);
    await server.checkpoints.settled();
    expect(failures()).toBe(2);
    runSql(db, 'DROP TRIGGER checkpoint_refused');
    wakeups.advance(5_000);
    await server.checkpoints.settled();
    expect(await sizes()).toEqual([71, 72]);
    expect(failures()).toBe(2);
  });

  it('given entries acknowledged after the last periodic checkpoint, when the tail is cut while the server runs, then `audit verify` names the cut entry', async () => {
    expect((await send({ type: 'START' })).status).toBe(200);
    await progress(2);
    await server.checkpoints.settled();
    wakeups.advance(2_000);
    await server.checkpoints.settled();
    expect((await sizes()).at(-1)).toBe(74);
    runSql(db, 'DELETE FROM audit_log WHERE seq > 73');
    const result = await runCli('audit', 'verify', '--db', db);
    expect(result.code, result.out + result.err).toBe(1);
    expect(result.out).toMatch(/^audit log BROKEN at seq 74: the log has 73 entries but a signed checkpoint of size 74 .*tail was cut/);
  });
});
