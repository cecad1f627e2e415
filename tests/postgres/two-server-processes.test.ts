import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgresSchema, postgresSkipReason, postgresUrl } from '../../packages/engine/test/support/test-database.ts';
import { openDuban } from '../../packages/server/src/index.ts';
import type { ServeProcess } from '../http/support/duban-process.ts';
import { client, duban, samplePlanJson, serve, taskId } from '../http/support/duban-process.ts';

const plan = (await import('../../data/plans/karamay-2023-fangguanfu.json', { with: { type: 'json' } })).default as {
  tasks: { number: number; leadUnits: string[]; deadline: { date: string | null } }[];
};

/** Tasks due at the end of 2023 (no timer of theirs comes due during the test), each with a single lead unit. */
const MOVED = [3, 9, 17, 21, 22, 26, 33, 39, 43, 63, 67];
const RETRIED = [18, 23, 24, 29, 30, 36];
const PROGRESS_PER_TASK = 6;
/** Both servers start here: every deadline up to 2023-07-01 has passed. */
const CLOCK = '2023-07-02T00:00:00+08:00';

const leadOf = (n: number): string => {
  const task = plan.tasks.find((t) => t.number === n);
  if (task === undefined || task.leadUnits.length !== 1) throw new Error(`task ${n} has no single lead unit`);
  return task.leadUnits[0]!;
};

/** The signing key every server of the deployment shares (docs/DEPLOYMENT.md): made once, before any server starts. */
function sharedKeyDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'duban-pg-keys-'));
  chmodSync(dir, 0o700);
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(join(dir, 'audit-signing.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return dir;
}

type Api = ReturnType<typeof client>;

async function wholeLog(api: Api): Promise<{ seq: number; taskId: string; type: string; actor: { role: string }; prevHash: string; hash: string }[]> {
  const items = [];
  for (let after = 0; ; ) {
    const page = await api.get(`/api/audit?after=${after}&limit=1000`);
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    if (page.body.next === null) return items;
    after = page.body.next;
  }
}

describe.skipIf(postgresUrl === undefined)(`two \`duban serve\` processes on one PostgreSQL database${postgresSkipReason}`, () => {
  let db: string;
  let keyDir: string;
  let servers: ServeProcess[] = [];

  beforeAll(async () => {
    db = await freshPostgresSchema();
    keyDir = sharedKeyDir();
    // Given two servers started at the same moment with the same arguments: both import the plan, both
    // schedulers catch up on the timers due by the simulated clock, every second after that too.
    const args = ['--plan', samplePlanJson, '--clock', CLOCK, '--timer-interval', '1', '--key-dir', keyDir, '--rate-limit', '1000'];
    servers = await Promise.all([serve(db, args), serve(db, args)]);
  }, 120_000);
  afterAll(async () => {
    const codes = await Promise.all(servers.map((s) => s.stop()));
    rmSync(keyDir, { recursive: true, force: true });
    expect(codes).toEqual(servers.map(() => 0));
  });

  it('given two server processes on one PostgreSQL database, when concurrent transitions are split across both, then none is lost, every timer fires once and the log is one chain', { timeout: 120_000 }, async () => {
    const [a, b] = servers as [ServeProcess, ServeProcess];
    // (Tokens are issued in process: each CLI start costs seconds; database-url.test.ts covers the CLI on PostgreSQL.)
    const opened = await openDuban(db, { create: false });
    const issue = async (role: 'office' | 'reviewer' | 'unit', unit?: string) => (await opened.tokens.create({ role, unit: unit ?? null }, new Date(CLOCK))).token;
    const office = await issue('office');
    const reviewer = await issue('reviewer');
    const units = [...new Set([...MOVED, ...RETRIED].map(leadOf))];
    const tokens = new Map<string, string>();
    for (const unit of units) tokens.set(unit, await issue('unit', unit));
    const api = (server: ServeProcess, n: number) => client(server.url, tokens.get(leadOf(n))!);

    // When each task is started on one server, then 6 progress reports race to both at once.
    const before = new Map<number, number>();
    for (const n of MOVED) before.set(n, (await client(a.url, office).get(`/api/tasks/${taskId(n)}`)).body.version);
    const versions = await Promise.all(
      MOVED.map(async (n, i) => {
        const start = await api(i % 2 ? a : b, n).event(taskId(n), { type: 'START' });
        expect(start.status, JSON.stringify(start.body)).toBe(200);
        const reports = await Promise.all(
          Array.from({ length: PROGRESS_PER_TASK }, (_, k) => api(k % 2 ? a : b, n).event(taskId(n), { type: 'PROGRESS', summary: `第${k}次进展`, percent: 10 * k })),
        );
        for (const r of reports) expect(r.status, JSON.stringify(r.body)).toBe(200);
        return [start, ...reports].map((r) => r.body.task.version as number);
      }),
    );
    // Then no update was lost: each answer got its own version, contiguous after the one before.
    for (const [i, n] of MOVED.entries()) {
      const v0 = before.get(n)!;
      expect(versions[i]!.sort((x, y) => x - y), `task ${n}`).toEqual(Array.from({ length: 1 + PROGRESS_PER_TASK }, (_, k) => v0 + 1 + k));
      const task = await client(b.url, office).get(`/api/tasks/${taskId(n)}`);
      expect(task.body.version).toBe(v0 + 1 + PROGRESS_PER_TASK);
      expect((await client(a.url, office).get(`/api/tasks/${taskId(n)}/history`)).body.items).toHaveLength(v0 + 1 + PROGRESS_PER_TASK);
    }

    // When one idempotency key reaches both servers at the same moment, then one entry and one answer.
    for (const n of RETRIED) {
      const body = { type: 'START', note: '签收' };
      const [first, second] = await Promise.all([a, b].map((s) => fetch(`${s.url}/api/tasks/${taskId(n)}/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${tokens.get(leadOf(n))}`, 'Content-Type': 'application/json', 'Idempotency-Key': `start-${n}` },
        body: JSON.stringify(body),
      })));
      expect([first!.status, second!.status], `task ${n}`).toEqual([200, 200]);
      expect(await first!.text()).toBe(await second!.text());
      const history = (await client(a.url, office).get(`/api/tasks/${taskId(n)}/history`)).body.items as { type: string }[];
      expect(history.filter((e) => e.type === 'START'), `task ${n}`).toHaveLength(1);
    }

    // Then every timer due by the clock fired exactly once, whichever scheduler took it.
    const log = await wholeLog(client(b.url, reviewer));
    const system = log.filter((e) => e.actor.role === 'system').map((e) => `${e.taskId} ${e.type}`);
    expect(system.length).toBeGreaterThan(0);
    expect(new Set(system).size, 'a timer fired twice').toBe(system.length);
    const overdue = log.filter((e) => e.type === 'DEADLINE_PASSED').map((e) => e.taskId).sort();
    const dueByJuly = plan.tasks.filter((t) => t.deadline.date !== null && t.deadline.date <= '2023-07-01').map((t) => taskId(t.number)).sort();
    expect(overdue).toEqual(dueByJuly);

    // Then the log is one chain: seq 1..n, each linked to the one before, and both servers say it verifies.
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    for (let i = 1; i < log.length; i++) expect(log[i]!.prevHash).toBe(log[i - 1]!.hash);
    for (const s of [a, b]) expect((await client(s.url, reviewer).get('/api/audit/verify')).body).toMatchObject({ ok: true, entries: log.length });
    const verified = await duban('audit', 'verify', '--db', db, '--key-dir', keyDir);
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect((await opened.engine.replay()).differences).toEqual([]);

    // And the rate limit is counted in the database both servers share.
    const windows = await opened.engine.store.kysely.selectFrom('rate_limit_window').select(['key', 'count']).execute();
    expect(windows.length).toBeGreaterThanOrEqual(units.length);
    await opened.close();
  });
});
