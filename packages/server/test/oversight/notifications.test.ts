import type { AuditEntry, CommitHook } from '@duban/engine';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { notificationListResponse, notificationSchema } from '../../src/api/schemas.ts';
import { notificationHook } from '../../src/notifications/notification-hook.ts';
import { WebhookStore } from '../../src/notifications/webhooks/webhook-store.ts';
import { problemOf } from '../support/test-server.ts';
import { playScenario } from './support/oversight-scenario.ts';
import type { OversightServer } from './support/oversight-server.ts';
import { DISTRICTS, accepted, id, shanghai, startOversightServer } from './support/oversight-server.ts';

async function rows(s: OversightServer) {
  return s.db.selectFrom('notification').selectAll().orderBy('id').execute();
}

const countBy = (values: (string | number)[]) => {
  const counts: Record<string, number> = {};
  for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
  return counts;
};

describe('notifications: one per notified event per unit concerned', () => {
  let s: OversightServer;
  beforeAll(async () => {
    // Given the scenario played through the API (two refused events in it)
    s = await startOversightServer();
    await playScenario(s);
  });
  afterAll(() => s.close());

  it('when the notices are read, then they are exactly those worked out by hand: all parties for URGE, WARN, DEADLINE_PASSED, ESCALATE, CLOSE; lead units for REJECT, RECORD_INTERVIEW, REFER, VERIFY', async () => {
    const all = await rows(s);
    // 9 URGE 3 · 11 REJECT 2 · 13 VERIFY 2 · 14 WARN 1 · 15 DEADLINE_PASSED 1 · 16 CLOSE 2 (commended) · 17 ESCALATE 1 ·
    // 18 RECORD_INTERVIEW 1 · 19 WARN 3 · 20 DEADLINE_PASSED 3 · 22 VERIFY 1 · 23 URGE 3 · 24 ESCALATE 3 (system) · 25 REFER 3
    expect(countBy(all.map((n) => `${Number(n.entry_seq)} ${n.type}`))).toEqual({
      '9 URGE': 5,
      '11 REJECT': 1,
      '13 VERIFY': 1,
      '16 CLOSE': 2,
      '22 VERIFY': 1,
      '14 WARN': 5,
      '15 DEADLINE_PASSED': 5,
      '17 ESCALATE': 5,
      '18 RECORD_INTERVIEW': 1,
      '19 WARN': 5,
      '20 DEADLINE_PASSED': 5,
      '23 URGE': 5,
      '24 ESCALATE': 5,
      '25 REFER': 1,
    });
    expect(all).toHaveLength(47);
    // 各区人民政府 is notified as its four members; 市级各有关部门 names no one and gets nothing.
    expect(countBy(all.map((n) => n.unit))).toEqual({
      市司法局: 7,
      市发改委: 5,
      市市场监管局: 3,
      ...Object.fromEntries(DISTRICTS.map((unit) => [unit, 8])),
    });
    expect(all.filter((n) => Number(n.entry_seq) === 11).map((n) => n.unit)).toEqual(['市市场监管局']);
    expect(all.filter((n) => Number(n.entry_seq) === 9).map((n) => n.unit)).toEqual(['市司法局', ...DISTRICTS]);
    // The verification answers the lead unit that reported; the close (with its commendation) every party of task 2.
    expect(all.filter((n) => Number(n.entry_seq) === 13).map((n) => n.unit)).toEqual(['市市场监管局']);
    expect(all.filter((n) => Number(n.entry_seq) === 16).map((n) => n.unit)).toEqual(['市市场监管局', '市司法局']);
  });

  it('when the good news is read, then the verification, the commendation and the closing say so in Chinese', async () => {
    const all = await rows(s);
    const verified = all.find((n) => Number(n.entry_seq) === 13)!;
    expect(verified.title).toBe('【核验通过】第2项任务办结报送已核验');
    expect(verified.body).toBe('第2项任务“全面推行告知承诺制。”的办结报送已通过核验，核验意见：材料齐全，同意。待办公室销号。');
    const commended = all.find((n) => Number(n.entry_seq) === 16 && n.unit === '市司法局')!;
    expect(commended.title).toBe('【表扬】第2项任务办结销号并予表扬');
    expect(commended.body).toBe('第2项任务“全面推行告知承诺制。”已办结销号，办公室予以表扬：成效明显。感谢各单位的努力。');
  });

  it('when a notice is read, then it says in Chinese what happened and what is expected, dated by the audit entry', async () => {
    const all = await rows(s);
    const urge = all.find((n) => Number(n.entry_seq) === 9 && n.unit === '市司法局')!;
    expect(urge).toMatchObject({
      task_id: id(3),
      title: '【督办】第3项任务',
      body: '办公室对第3项任务“全面推行“双随机、一公开”监管。”督办：请加快推进。请抓紧推进，及时报送进展。',
      created_at: shanghai('2023-06-01 11:00'),
      acknowledged_at: null,
    });
    const escalation = all.find((n) => Number(n.entry_seq) === 24 && n.unit === '乌尔禾区人民政府')!;
    expect(escalation.title).toBe('【约谈】第3项任务启动约谈');
    expect(escalation.body).toBe('第3项任务“全面推行“双随机、一公开”监管。”已由系统自动启动约谈，事由：逾期30日未报送办结，自动启动约谈。请做好约谈准备。');
    const interview = all.find((n) => Number(n.entry_seq) === 18)!;
    expect(interview.body).toBe('第1项任务“推动市场准入负面清单事项全部实现网上办理。”已于2023年7月20日约谈，约谈情况：推进迟缓。整改期限为2023年8月31日，请按期整改并报送办结。');
    const overdue = all.find((n) => Number(n.entry_seq) === 20)!;
    expect(overdue.body).toMatch(/^第3项任务“全面推行“双随机、一公开”监管。”已超过完成时限2023年7月31日，尚未报送办结（红灯）。/);
  });

  it('given an entry already notified, when the hook runs again for it, then nothing is added', async () => {
    // Given the committed URGE (seq 9) and its task
    const [entry] = (await s.engine.readAudit(8, 1)) as [AuditEntry];
    const instance = (await s.engine.getInstance(entry.instanceId))!;
    // When the hook runs for it once more, in a transaction of its own
    await s.engine.store.transact((tx) => notificationHook()(tx, { instance, entry }));
    // Then there are still five notices for it
    expect((await rows(s)).filter((n) => Number(n.entry_seq) === 9)).toHaveLength(5);
  });

  it('when events are refused (403, 409, 422, 404), then no notice is written', async () => {
    const before = (await rows(s)).length;
    const entries = await s.engine.auditSize();
    const office = await s.token('office');
    const justice = await s.token('unit', '市司法局');
    // 403 (a unit may not urge), 409 (not in this state), 422 (no message), 404 (no such task)
    expect((await s.send('2023-10-08 10:00', justice, 4, { type: 'URGE', message: '越权' })).status).toBe(404);
    expect((await s.send('2023-10-08 10:00', justice, 3, { type: 'URGE', message: '越权' })).status).toBe(403);
    expect((await s.send('2023-10-08 10:00', office, 3, { type: 'URGE', message: '已移交问责' })).status).toBe(409);
    expect((await s.send('2023-10-08 10:00', office, 4, { type: 'URGE' })).status).toBe(422);
    expect((await rows(s)).length).toBe(before);
    expect(await s.engine.auditSize()).toBe(entries);
  });
});

describe('notifications and rolled-back transitions', () => {
  let s: OversightServer;
  const calls: number[] = [];
  // Fails any transition whose message asks for it, after the notification hook has written.
  const failing: CommitHook = async (_tx, { entry }) => {
    calls.push(entry.seq);
    if (entry.payload['message'] === '故障注入') throw new Error('injected failure after the notification hook');
  };
  beforeAll(async () => {
    s = await startOversightServer({ onCommit: failing });
    // 市司法局 has a webhook: its notices are queued in the outbox in the same transaction.
    await new WebhookStore(s.db).set('市司法局', 'http://127.0.0.1:9/hook', 'a-secret-of-16+chars', s.clock.now());
    calls.splice(0);
  });
  afterAll(() => s.close());
  afterEach(() => void calls.splice(0));

  it('when a transition over the API fails after the hook and is rolled back (500), then it leaves no notice and no outbox row', async () => {
    const office = await s.token('office');
    const response = await s.send('2023-06-01 10:00', office, 3, { type: 'URGE', message: '故障注入' });
    expect(response.status).toBe(500);
    expect(calls).toHaveLength(1);
    expect(await rows(s)).toEqual([]);
    expect(await s.db.selectFrom('webhook_delivery').selectAll().execute()).toEqual([]);
    expect(await s.engine.auditSize()).toBe(4);
  });

  it('when a batch is rolled back and its good transition re-run alone, then that transition is notified once and the bad one not at all', async () => {
    // When two URGEs are committed together and the second fails after writing, the engine rolls the
    // batch back and runs each again alone: the hook runs twice for the first.
    const office = { role: 'office', unit: null };
    const at = new Date(shanghai('2023-06-02 10:00'));
    const [good, bad] = await Promise.allSettled([
      s.engine.send(id(3), { type: 'URGE', payload: { message: '请加快推进' } }, office, at),
      s.engine.send(id(1), { type: 'URGE', payload: { message: '故障注入' } }, office, at),
    ]);
    expect(good.status).toBe('fulfilled');
    expect(bad.status).toBe('rejected');
    const seq = (good as PromiseFulfilledResult<{ entry: AuditEntry }>).value.entry.seq;
    expect(calls.filter((c) => c === seq)).toHaveLength(2);
    // Then the good one has its five notices, once, and one outbox row (市司法局's); the bad one none
    const all = await rows(s);
    expect(all.map((n) => [Number(n.entry_seq), n.unit])).toEqual([[seq, '市司法局'], ...DISTRICTS.map((unit) => [seq, unit])]);
    const deliveries = await s.db.selectFrom('webhook_delivery').selectAll().execute();
    expect(deliveries.map((d) => [Number(d.notification_id), d.status, d.attempts])).toEqual([[all[0]!.id, 'pending', 0]]);
    expect(await s.engine.auditSize()).toBe(5);
  });
});

describe('GET /api/notifications and POST /api/notifications/:id/ack', () => {
  let s: OversightServer;
  let office: string;
  let justice: string;
  beforeAll(async () => {
    s = await startOversightServer();
    await playScenario(s);
    office = await s.token('office');
    justice = await s.token('unit', '市司法局');
  });
  afterAll(() => s.close());

  const list = async (query: string, token: string) => {
    const response = await s.request(`/api/notifications${query}`, { token });
    expect(response.status, await response.clone().text()).toBe(200);
    const body = await response.json();
    expect(notificationListResponse.safeParse(body).error).toBeUndefined();
    return body as { items: { id: number; unit: string; entrySeq: number; type: string; acknowledgedAt: string | null }[]; nextCursor: string | null };
  };
  const ack = (notification: number | string, token: string) =>
    s.request(`/api/notifications/${notification}/ack`, { method: 'POST', token, headers: { 'Content-Type': 'application/json' }, body: '{}' });

  it('when a unit lists its notifications, then it gets its own notices only, newest first, a page at a time, and may not name another unit', async () => {
    const mine = await list('', justice);
    expect(mine.items.map((n) => `${n.entrySeq} ${n.type}`)).toEqual(['25 REFER', '24 ESCALATE', '23 URGE', '20 DEADLINE_PASSED', '19 WARN', '16 CLOSE', '9 URGE']);
    expect(mine.items.every((n) => n.unit === '市司法局')).toBe(true);
    expect(mine.nextCursor).toBeNull();

    const first = await list('?limit=4', justice);
    expect(first.items).toHaveLength(4);
    const second = await list(`?limit=4&cursor=${first.nextCursor}`, justice);
    expect([...first.items, ...second.items]).toEqual(mine.items);
    expect(second.nextCursor).toBeNull();
    // Naming itself is fine; naming another unit is not.
    expect((await list('?unit=市司法局', justice)).items).toHaveLength(7);
    const other = await s.request('/api/notifications?unit=市发改委', { token: justice });
    expect(other.status).toBe(403);
    expect((await problemOf(other)).title).toBe('无权查看其他单位的通知');
  });

  it('when the office, a reviewer or an admin lists the notifications, then it gets every unit’s, or one unit’s with unit=', async () => {
    expect((await list('?limit=1000', office)).items).toHaveLength(47);
    expect((await list('?limit=1000', await s.token('reviewer'))).items).toHaveLength(47);
    const district = await list(`?unit=${encodeURIComponent('白碱滩区人民政府')}`, await s.token('admin'));
    expect(district.items.map((n) => n.entrySeq)).toEqual([24, 23, 20, 19, 17, 15, 14, 9]);
  });

  it('when the unit acknowledges its notice, then it is read from then on; when it acknowledges again, then nothing changes; when another unit or the office tries, then 404 or 403', async () => {
    const [latest] = (await list('', justice)).items;
    s.clock.set(shanghai('2023-10-09 08:00'));
    // Another unit cannot read it as acknowledged: 404, and it stays unread.
    const ndrc = await s.token('unit', '市发改委');
    const foreign = await ack(latest!.id, ndrc);
    expect(foreign.status).toBe(404);
    expect((await problemOf(foreign)).title).toBe('通知不存在');
    expect((await list('?unread=1', justice)).items.map((n) => n.id)).toContain(latest!.id);

    s.clock.set(shanghai('2023-10-09 08:30'));
    const first = await ack(latest!.id, justice);
    expect(first.status).toBe(200);
    const acknowledged = await first.json();
    expect(notificationSchema.safeParse(acknowledged).error).toBeUndefined();
    expect(acknowledged).toMatchObject({ id: latest!.id, acknowledgedAt: shanghai('2023-10-09 08:30') });

    s.clock.set(shanghai('2023-10-09 09:00'));
    const again = await ack(latest!.id, justice);
    expect(again.status).toBe(200);
    expect((await again.json()).acknowledgedAt).toBe(shanghai('2023-10-09 08:30'));

    expect((await ack(latest!.id, ndrc)).status).toBe(404);
    expect((await ack(999999, justice)).status).toBe(404);
    expect((await ack('abc', justice)).status).toBe(404);
    expect((await ack(latest!.id, office)).status).toBe(403);

    const unread = await list('?unread=1', justice);
    expect(unread.items.map((n) => n.id)).not.toContain(latest!.id);
    expect(unread.items).toHaveLength(6);
    const row = await s.db.selectFrom('notification').select(['acknowledged_at']).where('id', '=', latest!.id).executeTakeFirstOrThrow();
    expect(row.acknowledged_at).toBe(shanghai('2023-10-09 08:30'));
  });

  it('when the list gets a bad query or the ack a body, then 422 names the field and nothing is acknowledged', async () => {
    for (const [query, field] of [
      ['?limit=0', 'query.limit'],
      ['?limit=1001', 'query.limit'],
      ['?cursor=abc', 'query.cursor'],
      ['?unread=yes', 'query.unread'],
      ['?page=2', 'query.page'],
    ] as const) {
      const response = await s.request(`/api/notifications${query}`, { token: office });
      expect(response.status, query).toBe(422);
      expect(((await problemOf(response)).errors as { path: string }[]).map((e) => e.path)).toEqual([field]);
    }
    const [latest] = (await list('', justice)).items;
    const withBody = await s.request(`/api/notifications/${latest!.id}/ack`, { method: 'POST', token: justice, headers: { 'Content-Type': 'application/json' }, body: '{"read":true}' });
    expect(withBody.status).toBe(422);
    const read = await s.db.selectFrom('notification').select(sql<number | string>`count(*)`.as('n')).where('acknowledged_at', 'is not', null).executeTakeFirstOrThrow();
    expect(Number(read.n)).toBe(1);
  });

  it('when the OpenAPI document is fetched, then it holds the notification routes with their query parameters', async () => {
    const doc = (await (await s.request('/api/openapi.json')).json()) as { paths: Record<string, Record<string, { parameters?: { name: string }[] }>> };
    expect(doc.paths['/api/notifications']?.['get']?.parameters?.map((p) => p.name)).toEqual(['unread', 'unit', 'limit', 'cursor']);
    expect(doc.paths['/api/notifications/{id}/ack']).toHaveProperty('post');
    expect(doc.paths['/api/reports/summary']?.['get']?.parameters?.map((p) => p.name)).toEqual(['asOf', 'plan']);
    expect(doc.paths['/api/reports/circular']?.['get']?.parameters?.map((p) => p.name)).toEqual(['from', 'to', 'format', 'plan']);
    for (const path of ['/api/reports/units', '/api/reports/ledger.csv', '/api/reports/ledger.xlsx']) expect(doc.paths[path], path).toHaveProperty('get');
  });
});
