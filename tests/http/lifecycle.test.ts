import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeProcess } from './support/duban-process.ts';
import { client, createToken, duban, samplePlanJson, samplePlanMd, serve, taskId } from './support/duban-process.ts';

// Task 7 of the Karamay plan: lead 市水务局, responsible 各区人民政府 (so each district government).
describe('a real first run: `duban serve` as a child process, tokens from the CLI, one task through its whole life', () => {
  let dir: string;
  let db: string;
  let server: ServeProcess | undefined;
  let office: string;
  let water: string;
  let district: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duban-e2e-'));
    db = join(dir, 'first-run.db');
    server = await serve(db, ['--plan', samplePlanJson, '--clock', '2023-05-10T09:00:00+08:00']);
    office = await createToken(db, 'office');
    water = await createToken(db, 'unit', '市水务局');
    district = await createToken(db, 'unit', '独山子区人民政府');
  });
  afterAll(async () => {
    if (server !== undefined) await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the server starts with the plan, then it imports the 71 tasks', async () => {
    const page = await client(server!.url, office).get('/api/tasks?limit=1000');
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(71);
    expect(page.body.items.every((t: { state: string }) => t.state === 'assigned')).toBe(true);
  });

  it('when the right units and the office send START, PROGRESS, REPORT, REJECT, REPORT, VERIFY, CLOSE, then each is accepted', async () => {
    const asWater = client(server!.url, water);
    const asDistrict = client(server!.url, district);
    const asOffice = client(server!.url, office);
    const steps: [ReturnType<typeof client>, Record<string, unknown>, string][] = [
      [asWater, { type: 'START', note: '已签收' }, 'in_progress'],
      [asDistrict, { type: 'PROGRESS', summary: '独山子区已完成自查', percent: 40 }, 'in_progress'],
      [asWater, { type: 'REPORT', summary: '招标程序已优化', evidence: [{ title: '工作总结' }] }, 'reported'],
      [asOffice, { type: 'REJECT', reason: '缺少招标文件范本' }, 'in_progress'],
      [asWater, { type: 'REPORT', summary: '补充范本后再报', evidence: [{ title: '招标文件范本', ref: 'SW-2023-7' }] }, 'reported'],
      [asOffice, { type: 'VERIFY', opinion: '材料齐全' }, 'verified'],
      [asOffice, { type: 'CLOSE', note: '按期完成', commend: true }, 'closed'],
    ];
    let version = 1;
    for (const [as, body, state] of steps) {
      const result = await as.event(taskId(7), body, { 'If-Match': `"${version}"`, 'Idempotency-Key': `step-${version}` });
      expect(result.status, `${body['type']}: ${JSON.stringify(result.body)}`).toBe(200);
      version += 1;
      expect(result.body.task).toMatchObject({ id: taskId(7), state, version });
      expect(result.headers.get('etag')).toBe(`"${version}"`);
    }
    const task = await asOffice.get(`/api/tasks/${taskId(7)}`);
    expect(task.body).toMatchObject({ state: 'closed', rejections: 1, light: 'green', allowedEvents: [] });
    const history = await asWater.get(`/api/tasks/${taskId(7)}/history`);
    expect(history.body.items.map((e: { type: string }) => e.type)).toEqual(['CREATE', 'START', 'PROGRESS', 'REPORT', 'REJECT', 'REPORT', 'VERIFY', 'CLOSE']);
    expect(history.body.items[2].actor).toEqual({ role: 'unit', unit: '独山子区人民政府' });
  });

  it('when a unit verifies or an unknown token calls, then it is refused and nothing is written', async () => {
    const before = (await client(server!.url, office).get('/api/audit/verify')).body.entries;
    expect((await client(server!.url, water).event(taskId(28), { type: 'VERIFY' })).status).toBe(404);
    expect((await client(server!.url, 'dbn_office_' + 'x'.repeat(32)).get('/api/tasks')).status).toBe(401);
    // The issuer signs soon after each quiet commit (AUDIT.md), so how many checkpoints exist depends on timing: at least one.
    const verified = (await client(server!.url, office).get('/api/audit/verify')).body as { ok: boolean; entries: number; checkpoints: number };
    expect({ ok: verified.ok, entries: verified.entries }).toEqual({ ok: true, entries: before });
    expect(verified.checkpoints).toBeGreaterThanOrEqual(1);
  });

  it('when the server gets SIGTERM and restarts (with the plan as Markdown this time), then it exits 0 and keeps everything', async () => {
    expect(await server!.stop()).toBe(0);
    expect(server!.output()).toMatch(/SIGTERM received, stopping/);
    // The clock goes on from where the first run left it, so no deadline has passed yet.
    server = await serve(db, ['--plan', samplePlanMd, '--clock', '2023-05-12T00:00:00+08:00']);
    const asOffice = client(server.url, office);
    const task = await asOffice.get(`/api/tasks/${taskId(7)}`);
    expect(task.status).toBe(200);
    expect(task.body).toMatchObject({ state: 'closed', version: 8 });
    expect((await asOffice.get('/api/tasks?limit=1000')).body.items).toHaveLength(71);
    expect((await asOffice.get('/api/audit/verify')).body).toMatchObject({ ok: true, entries: 71 + 7 });
  });

  it('given a changed plan under the same name, when the server starts, then it is refused with a clear message and exit 1', async () => {
    const { readFileSync, writeFileSync, mkdirSync } = await import('node:fs');
    const plan = JSON.parse(readFileSync(samplePlanJson, 'utf8')) as { tasks: { text: string }[] };
    plan.tasks[0]!.text = '改过的任务内容';
    mkdirSync(join(dir, 'changed'));
    const changed = join(dir, 'changed', 'karamay-2023-fangguanfu.json');
    writeFileSync(changed, JSON.stringify(plan));
    const result = await duban('serve', '--db', join(dir, 'first-run.db'), '--port', '0', '--plan', changed);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/the plan differs from the one imported/);
    expect(result.stderr).toContain(taskId(1));
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
