import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditTypes, tamperAuditPayload, tamperInstanceState } from '../../packages/server/test/support/tamper.ts';
import { client, createToken, duban, samplePlanJson, serve, taskId } from './support/duban-process.ts';

const plan = (await import('../../data/plans/karamay-2023-fangguanfu.json', { with: { type: 'json' } })).default as {
  tasks: { number: number; deadline: { date: string | null } }[];
};

describe('`duban timers run`, `audit verify` and `replay` on a served database', () => {
  let dir: string;
  let db: string;

  beforeAll(async () => {
    // Given a database served once with the plan, where 市水务局 started task 7 and reported it.
    dir = mkdtempSync(join(tmpdir(), 'duban-e2e-timers-'));
    db = join(dir, 'timers.db');
    const server = await serve(db, ['--plan', samplePlanJson, '--clock', '2023-05-10T09:00:00+08:00']);
    const water = client(server.url, await createToken(db, 'unit', '市水务局'));
    expect((await water.event(taskId(7), { type: 'START' })).status).toBe(200);
    expect((await water.event(taskId(7), { type: 'REPORT', summary: '完成', evidence: [{ title: '总结' }] })).status).toBe(200);
    expect(await server.stop()).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when `timers run --now 2023-07-01T00:00:00+08:00` runs twice, then every unreported task due by June is marked overdue, once', async () => {
    const result = await duban('timers', 'run', '--db', db, '--now', '2023-07-01T00:00:00+08:00');
    expect(result.code, result.stderr).toBe(0);
    const overdue = new Set([...result.stdout.matchAll(/fired\s+#\d+ (\S+) DEADLINE_PASSED/g)].map((m) => m[1]));
    const dueByJune = plan.tasks.filter((t) => t.deadline.date !== null && t.deadline.date <= '2023-06-30').map((t) => taskId(t.number));
    // Task 7 was reported before its deadline: it is not overdue.
    expect([...overdue].sort()).toEqual(dueByJune.filter((id) => id !== taskId(7)).sort());
    expect(result.stdout).toMatch(/(\d+) fired, (\d+) dropped, as of 2023-06-30T16:00:00.000Z/);

    const again = await duban('timers', 'run', '--db', db, '--now', '2023-07-01T00:00:00+08:00');
    expect(again.stdout.trim()).toBe('0 fired, 0 dropped, as of 2023-06-30T16:00:00.000Z');

    // and the server shows them red
    const server = await serve(db, ['--clock', '2023-07-01T00:00:00+08:00']);
    try {
      const office = client(server.url, await createToken(db, 'office'));
      const red = await office.get('/api/tasks?light=red&limit=1000');
      expect(red.body.items.map((t: { id: string }) => t.id).sort()).toEqual([...overdue].sort());
      expect(red.body.items.every((t: { overdue: boolean }) => t.overdue)).toBe(true);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('given an intact log and then an edited entry, when `audit verify` runs, then it exits 0 and then 1 naming the first bad seq', async () => {
    const intact = await duban('audit', 'verify', '--db', db);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/audit log intact: \d+ entries/);

    const start = auditTypes(db).find((e) => e.type === 'START' && e.instance_id === taskId(7))!;
    tamperAuditPayload(db, start.seq, { note: '事后篡改' });
    const broken = await duban('audit', 'verify', '--db', db);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`seq ${start.seq}`);
    expect(broken.stdout).toMatch(/altered/);
    expect(broken.stderr).not.toMatch(/\n\s+at /);
  });

  it('given stored states that match the log and then one changed behind its back, when `replay` runs, then it exits 0 and then 1 listing that task', async () => {
    // Three readers of the same file at once: each process starts in seconds, one after another would take most of a test's time.
    const [matching, noon, before] = await Promise.all([
      duban('replay', '--db', db),
      // The first run's clock started at 09:00 on 2023-05-10 and task 7 was reported right away.
      duban('replay', '--db', db, '--as-of', '2023-05-10T12:00:00+08:00'),
      duban('replay', '--db', db, '--as-of', '2023-05-09'),
    ]);
    expect(matching.code, matching.stdout + matching.stderr).toBe(0);
    expect(noon.code).toBe(0);
    expect(noon.stdout).toContain(`${taskId(7)}\treported\tv3`);
    expect(noon.stdout).toContain(`${taskId(8)}\tassigned\tv1`);
    expect(before.stdout).toMatch(/replayed 0 entries into 0 tasks/);

    tamperInstanceState(db, taskId(9), 'closed');
    const differs = await duban('replay', '--db', db);
    expect(differs.code).toBe(1);
    expect(differs.stdout).toMatch(new RegExp(`DIFFERS\\s+${taskId(9).replace(/\./g, '\\.')}`));
  }, 90_000);
});
