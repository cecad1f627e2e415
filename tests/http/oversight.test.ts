import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSheet } from '../../packages/server/test/oversight/support/read-xlsx.ts';
import type { WebhookReceiver } from '../../packages/server/test/oversight/support/webhook-receiver.ts';
import { startWebhookReceiver } from '../../packages/server/test/oversight/support/webhook-receiver.ts';
import { client, createToken, duban, samplePlanJson, serve, taskId } from './support/duban-process.ts';

const SECRET = 'e2e-webhook-secret-42';

// Task 7 of the Karamay plan: lead 市水务局, responsible 各区人民政府.
describe('`duban webhook` and `duban report` on a served database', () => {
  let dir: string;
  let db: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    // Given a database served once with the Karamay plan, and a webhook receiver on loopback
    dir = mkdtempSync(join(tmpdir(), 'duban-e2e-oversight-'));
    db = join(dir, 'oversight.db');
    const first = await serve(db, ['--plan', samplePlanJson, '--clock', '2023-05-10T09:00:00+08:00']);
    expect(await first.stop()).toBe(0);
    receiver = await startWebhookReceiver(SECRET, () => 'ok');
  });
  afterAll(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when `webhook set` gives 市水务局 an endpoint, then a running server delivers its notices there, signed, and `list` and `remove` manage it', async () => {
    const secretFile = join(dir, 'webhook-secret');
    writeFileSync(secretFile, `${SECRET}\n`, { mode: 0o600 });
    const set = await duban('webhook', 'set', '--db', db, '--unit', '市水务局', '--url', receiver.url, '--secret-file', secretFile);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).toBe('');
    expect(set.stdout.trim()).toBe(`set the webhook of 市水务局: ${receiver.url}`);

    // When the office urges task 7 on a served database
    const server = await serve(db, ['--clock', '2023-06-01T10:00:00+08:00']);
    try {
      const office = client(server.url, await createToken(db, 'office'));
      expect((await office.event(taskId(7), { type: 'URGE', message: '请加快推进' })).status).toBe(200);
      // Then the dispatcher (polling every second) posts it to 市水务局's receiver, with the notices of the
      // timers the server fired on starting at 2023-06-01 (signed, each once)
      const urged = () => receiver.requests.find((r) => JSON.parse(r.body).type === 'URGE');
      const deadline = Date.now() + 20_000;
      while (urged() === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(JSON.parse(urged()!.body)).toMatchObject({ unit: '市水务局', taskId: taskId(7), type: 'URGE', title: '【督办】第7项任务' });
      expect(receiver.requests.every((r) => r.signatureValid && JSON.parse(r.body).unit === '市水务局')).toBe(true);

      // and the unit reads the same notices over the API
      const water = client(server.url, await createToken(db, 'unit', '市水务局'));
      const inbox = await water.get('/api/notifications?limit=1000');
      const sent = new Set(receiver.requests.map((r) => JSON.parse(r.body).id as number));
      expect(inbox.body.items.map((n: { id: number }) => n.id).filter((id: number) => sent.has(id))).toHaveLength(sent.size);
      expect(sent.size).toBe(receiver.requests.length);
    } finally {
      expect(await server.stop()).toBe(0);
    }

    const list = await duban('webhook', 'list', '--db', db);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`市水务局\t${receiver.url}\t`);
    expect(list.stdout).not.toContain(SECRET);
    expect((await duban('webhook', 'remove', '--db', db, '--unit', '市水务局')).code).toBe(0);
    const again = await duban('webhook', 'remove', '--db', db, '--unit', '市水务局');
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toBe('duban: 市水务局 has no webhook (see duban webhook list)');
    // Seven CLI processes and a server: generous on a busy machine.
  }, 120_000);

  it('when `report` runs on a served database, then it writes the xlsx ledger to a file', async () => {
    const xlsx = join(dir, '台账.xlsx');
    const written = await duban('report', 'ledger', '--db', db, '--as-of', '2023-05-31', '--format', 'xlsx', '--out', xlsx);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stderr).toContain(`wrote ledger (xlsx) to ${xlsx}`);
    const { rows } = await readSheet(xlsx, '台账');
    expect(rows[0]?.[0]).toBe('“放管服”改革任务督办台账（截至2023年5月31日）');
    expect(rows).toHaveLength(73);
    expect(rows[2]?.[0]).toBe(1);
  });
});
