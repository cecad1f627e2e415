import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/create-logger.ts';
import { WebhookDispatcher } from '../../src/notifications/webhooks/webhook-dispatcher.ts';
import { WebhookStore } from '../../src/notifications/webhooks/webhook-store.ts';
import type { OversightServer } from './support/oversight-server.ts';
import { accepted, id, shanghai, startOversightServer } from './support/oversight-server.ts';
import type { ReceiverBehaviour, WebhookReceiver } from './support/webhook-receiver.ts';
import { startWebhookReceiver } from './support/webhook-receiver.ts';

const SECRET = 'shared-secret-0123456789';
const silent = createLogger({ level: 'silent' });

describe('webhooks: the outbox sent at least once, signed, with backoff on the clock', () => {
  let s: OversightServer;
  let receiver: WebhookReceiver;
  let office: string;
  const start = async (behaviour: ReceiverBehaviour) => {
    receiver = await startWebhookReceiver(SECRET, behaviour);
    const webhooks = new WebhookStore(s.db);
    await webhooks.set('市司法局', receiver.url, SECRET, s.clock.now());
    await webhooks.set('克拉玛依区人民政府', receiver.url, SECRET, s.clock.now());
  };
  const deliveries = () => s.db.selectFrom('webhook_delivery').selectAll().orderBy('id').execute();
  const notifications = () => s.db.selectFrom('notification').selectAll().orderBy('id').execute();

  beforeEach(async () => {
    // Given the four tasks, and webhooks for 市司法局 and 克拉玛依区人民政府 (not the other districts)
    s = await startOversightServer();
    office = await s.token('office');
  });
  afterEach(async () => {
    await receiver.close();
    await s.close();
  });

  it('given a receiver that fails twice (500, then a cut connection), when the office urges a task, then each delivery is retried after 5 s and 30 s, delivered signed on the third attempt, and not sent again', async () => {
    await start((attempt) => (attempt === 1 ? 'fail' : attempt === 2 ? 'reset' : 'ok'));
    const dispatcher = new WebhookDispatcher(s.db, s.clock, silent, { timeoutMs: 5_000 });
    // When the office urges task 3 (its five parties are notified; two of them have a webhook)
    await accepted(s.send('2023-06-01 10:00', office, 3, { type: 'URGE', message: '请加快推进' }));
    const queued = await deliveries();
    expect(queued.map((d) => [d.status, d.attempts, d.next_attempt_at])).toEqual([
      ['pending', 0, shanghai('2023-06-01 10:00')],
      ['pending', 0, shanghai('2023-06-01 10:00')],
    ]);
    const [a, b] = queued.map((d) => Number(d.id)) as [number, number];

    // Then the first round fails both, and nothing is sent again before the 5 s backoff is over
    expect(await dispatcher.tick()).toEqual({ delivered: [], retrying: [a, b], failed: [] });
    expect(await dispatcher.tick()).toEqual({ delivered: [], retrying: [], failed: [] });
    s.clock.advance(4_999);
    expect(await dispatcher.tick()).toEqual({ delivered: [], retrying: [], failed: [] });
    s.clock.advance(1);
    expect(await dispatcher.tick()).toEqual({ delivered: [], retrying: [a, b], failed: [] });
    s.clock.advance(29_999);
    expect(await dispatcher.tick()).toEqual({ delivered: [], retrying: [], failed: [] });
    s.clock.advance(1);
    expect(await dispatcher.tick()).toEqual({ delivered: [a, b], retrying: [], failed: [] });
    s.clock.advance(3_600_000);
    expect(await dispatcher.tick()).toEqual({ delivered: [], retrying: [], failed: [] });

    // Three attempts per delivery, each signed with the unit's secret and carrying the same delivery id
    for (const delivery of [a, b]) {
      expect(receiver.requests.filter((r) => r.delivery === String(delivery)).map((r) => r.answered)).toEqual(['fail', 'reset', 'ok']);
    }
    expect(receiver.requests).toHaveLength(6);
    expect(receiver.requests.every((r) => r.signatureValid)).toBe(true);
    expect(receiver.requests.every((r) => r.headers['content-type'] === 'application/json; charset=utf-8')).toBe(true);
    const sent = await deliveries();
    expect(sent.map((d) => [d.status, d.attempts, d.last_error, d.delivered_at])).toEqual([
      ['delivered', 3, null, shanghai('2023-06-01 10:00:35')],
      ['delivered', 3, null, shanghai('2023-06-01 10:00:35')],
    ]);

    // Every notice with a webhook reached its receiver once deduplicated, as the notice says; none was duplicated
    const notices = await notifications();
    expect(notices).toHaveLength(5);
    const forWebhooks = notices.filter((n) => n.unit === '市司法局' || n.unit === '克拉玛依区人民政府');
    expect([...receiver.accepted().values()].sort((x, y) => (x as { id: number }).id - (y as { id: number }).id)).toEqual(
      forWebhooks.map((n) => ({ id: n.id, unit: n.unit, taskId: id(3), type: 'URGE', title: n.title, body: n.body, entrySeq: 5, createdAt: shanghai('2023-06-01 10:00') })),
    );
  });

  it('given a receiver that always fails, when the last attempt fails, then the delivery is given up as failed and never sent again', async () => {
    await start(() => 'fail');
    const dispatcher = new WebhookDispatcher(s.db, s.clock, silent, { maxAttempts: 3, backoffMs: [1_000] });
    await accepted(s.send('2023-06-15 10:00', office, 3, { type: 'ESCALATE', reason: '推进不力' }));
    await dispatcher.tick();
    s.clock.advance(1_000);
    await dispatcher.tick();
    s.clock.advance(1_000);
    const last = await dispatcher.tick();
    expect(last.failed).toHaveLength(2);
    s.clock.advance(86_400_000);
    await dispatcher.tick();
    expect(receiver.requests).toHaveLength(6);
    expect((await deliveries()).map((d) => [d.status, d.attempts, d.last_error])).toEqual([
      ['failed', 3, 'HTTP 500'],
      ['failed', 3, 'HTTP 500'],
    ]);
    expect(await notifications()).toHaveLength(5);
  });

  it('given a receiver that hangs, when the office sends another event, then it is answered while the POSTs hang, the round ends with the timeout, and the new notices wait in the outbox', async () => {
    await start(() => 'hang');
    const dispatcher = new WebhookDispatcher(s.db, s.clock, silent, { timeoutMs: 1_500 });
    await accepted(s.send('2023-06-01 10:00', office, 3, { type: 'URGE', message: '请加快推进' }));
    let settled = false;
    const round = dispatcher.tick().then((report) => ((settled = true), report));
    while (receiver.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));

    // When the office sends another event while both POSTs hang
    await accepted(s.send('2023-06-01 10:00', office, 3, { type: 'URGE', message: '再次督办' }));
    expect(settled).toBe(false);

    // Then the round ends with the timeout, and the new notices wait their turn in the outbox
    expect((await round).retrying).toHaveLength(2);
    expect((await deliveries()).map((d) => [d.status, d.last_error])).toEqual([
      ['pending', 'no answer within 1500 ms'],
      ['pending', 'no answer within 1500 ms'],
      ['pending', null],
      ['pending', null],
    ]);
  });

  it('given pending deliveries, when a unit\'s webhook is removed, then its delivery is cancelled and only the other unit\'s is sent', async () => {
    await start(() => 'ok');
    await accepted(s.send('2023-06-01 10:00', office, 3, { type: 'URGE', message: '请加快推进' }));
    expect(await new WebhookStore(s.db).remove('市司法局', s.clock.now())).toBe(true);
    expect(await new WebhookStore(s.db).remove('市司法局', s.clock.now())).toBe(false);
    const report = await new WebhookDispatcher(s.db, s.clock, silent).tick();
    expect(report.delivered).toHaveLength(1);
    expect(receiver.requests.map((r) => JSON.parse(r.body).unit)).toEqual(['克拉玛依区人民政府']);
    expect((await deliveries()).map((d) => d.status)).toEqual(['cancelled', 'delivered']);
  });

  it('when a webhook is set, then only an absolute http(s) URL without credentials and a secret of 16+ characters are accepted', async () => {
    receiver = await startWebhookReceiver(SECRET, () => 'ok');
    const webhooks = new WebhookStore(s.db);
    const at = s.clock.now();
    await expect(webhooks.set('市司法局', 'ftp://127.0.0.1/hook', SECRET, at)).rejects.toThrow('the webhook URL must use http or https, not ftp: "ftp://127.0.0.1/hook"');
    await expect(webhooks.set('市司法局', 'file:///etc/passwd', SECRET, at)).rejects.toThrow(/must use http or https, not file/);
    await expect(webhooks.set('市司法局', 'javascript:alert(1)', SECRET, at)).rejects.toThrow(/must use http or https, not javascript/);
    await expect(webhooks.set('市司法局', '127.0.0.1:8080/hook', SECRET, at)).rejects.toThrow(/must use http or https|not an absolute URL/);
    await expect(webhooks.set('市司法局', 'http://user:pw@127.0.0.1/hook', SECRET, at)).rejects.toThrow(/must not carry a user name or password/);
    await expect(webhooks.set('市司法局', receiver.url, 'short', at)).rejects.toThrow(/16 to 256 printable ASCII characters/);
    expect(await webhooks.list()).toEqual([]);
    const { record, replaced } = await webhooks.set('市司法局', receiver.url, SECRET, at);
    expect(replaced).toBe(false);
    expect(record).toMatchObject({ unit: '市司法局', url: receiver.url, deliveries: { pending: 0, delivered: 0, failed: 0, cancelled: 0 } });
    expect(JSON.stringify(await webhooks.list())).not.toContain(SECRET);
    expect((await webhooks.set('市司法局', `${receiver.url}?v=2`, SECRET, at)).replaced).toBe(true);
  });
});
