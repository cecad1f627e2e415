import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { notificationReadAllResponse } from '../../src/api/schemas.ts';
import { problemOf } from '../support/test-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';
import type { OversightServer } from './support/oversight-server.ts';
import { DISTRICTS, accepted, id, shanghai, startOversightServer } from './support/oversight-server.ts';

describe('notices of extensions decided, 全部已读, and a task opened', () => {
  let s: OversightServer;
  let office: string;
  let ndrc: string;
  beforeEach(async () => {
    // Given task 1 (lead 市发改委; responsible 各区人民政府 = the four districts, and 市级各有关部门) started
    s = await startOversightServer();
    office = await s.token('office');
    ndrc = await s.token('unit', '市发改委');
    await accepted(s.send('2023-05-12 10:00', ndrc, 1, { type: 'START' }));
  });
  afterEach(() => s.close());

  const noticesOf = async (seq: number) =>
    (await s.db.selectFrom('notification').selectAll().where('entry_seq', '=', seq).orderBy('id').execute()).map((n) => ({ unit: n.unit, title: n.title, body: n.body }));
  const lastSeq = async () => s.engine.auditSize();
  const readAll = (token: string, body = '{}') =>
    s.request('/api/notifications/read-all', { method: 'POST', token, headers: { 'Content-Type': 'application/json' }, body });
  const unread = async (unit: string) =>
    (await s.db.selectFrom('notification').select('id').where('unit', '=', unit).where('acknowledged_at', 'is', null).execute()).length;

  it('given an extension requested, when the office refuses it, then only the lead unit that asked hears; when it grants the next, then every party hears the new deadline', async () => {
    // When the lead asks and the office refuses
    await accepted(s.send('2023-06-01 10:00', ndrc, 1, { type: 'REQUEST_EXTENSION', until: '2023-08-31', reason: '系统改造需要时间' }));
    await accepted(s.send('2023-06-02 10:00', office, 1, { type: 'DECIDE_EXTENSION', approve: false, note: '请按期完成' }));
    // Then the lead unit alone is told, with the limit that still holds
    expect(await noticesOf(await lastSeq())).toEqual([
      {
        unit: '市发改委',
        title: '【延期】第1项任务延期申请未获批准',
        body: '第1项任务“推动市场准入负面清单事项全部实现网上办理。”的延期申请未获批准，说明：请按期完成。完成时限仍为2023年6月30日，请按期完成并报送办结。',
      },
    ]);

    // When it asks again and the office grants another date
    await accepted(s.send('2023-06-03 10:00', ndrc, 1, { type: 'REQUEST_EXTENSION', until: '2023-08-31', reason: '系统改造需要时间' }));
    await accepted(s.send('2023-06-04 10:00', office, 1, { type: 'DECIDE_EXTENSION', approve: true, until: '2023-09-15' }));
    // Then the lead and each district (not the collective, not 市级各有关部门) hear the new limit
    const granted = await noticesOf(await lastSeq());
    expect(granted.map((n) => n.unit)).toEqual(['市发改委', ...DISTRICTS]);
    expect(new Set(granted.map((n) => n.body))).toEqual(
      new Set(['第1项任务“推动市场准入负面清单事项全部实现网上办理。”的延期申请已批准，完成时限调整为2023年9月15日。请按新的时限完成并报送办结。']),
    );
    expect(granted[0]!.title).toBe('【延期】第1项任务延期申请已批准');
    // A request itself notifies no one: the office's inbox shows it.
    expect(await s.db.selectFrom('notification').select('id').where('type', '=', 'REQUEST_EXTENSION').execute()).toEqual([]);
  });

  it('given a district with notices on two tasks, when it marks all read over the API, then all of its own are read and no other unit’s; again marks none', async () => {
    // Given urges on tasks 1 and 3 (the districts are parties of both)
    await accepted(s.send('2023-06-01 10:00', office, 1, { type: 'URGE', message: '请加快推进' }));
    await accepted(s.send('2023-06-01 10:05', office, 3, { type: 'URGE', message: '请加快推进' }));
    const district = await s.token('unit', '白碱滩区人民政府');
    expect(await unread('白碱滩区人民政府')).toBe(2);
    // When it marks all read
    s.clock.set(shanghai('2023-06-02 08:00'));
    const response = await readAll(district);
    // Then both are read at that instant; the other districts' stay unread
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(notificationReadAllResponse.safeParse(body).error).toBeUndefined();
    expect(body).toEqual({ acknowledged: 2 });
    expect(await unread('白碱滩区人民政府')).toBe(0);
    expect(await unread('乌尔禾区人民政府')).toBe(2);
    const times = await s.db.selectFrom('notification').select('acknowledged_at').where('unit', '=', '白碱滩区人民政府').execute();
    expect(times.map((t) => t.acknowledged_at)).toEqual([shanghai('2023-06-02 08:00'), shanghai('2023-06-02 08:00')]);
    // When it asks again, then nothing is left to mark and the first time stays
    s.clock.set(shanghai('2023-06-03 08:00'));
    expect(await (await readAll(district)).json()).toEqual({ acknowledged: 0 });
    expect((await s.db.selectFrom('notification').select('acknowledged_at').where('unit', '=', '白碱滩区人民政府').execute()).map((t) => t.acknowledged_at)).toEqual([
      shanghai('2023-06-02 08:00'),
      shanghai('2023-06-02 08:00'),
    ]);
  });

  it('given notices on two tasks, when a unit marks one task’s read, then only that task’s are read; when the office or a bad body asks, then 403 or 422 and nothing changes', async () => {
    await accepted(s.send('2023-06-01 10:00', office, 1, { type: 'URGE', message: '请加快推进' }));
    await accepted(s.send('2023-06-01 10:05', office, 3, { type: 'URGE', message: '请加快推进' }));
    const district = await s.token('unit', '独山子区人民政府');
    expect(await (await readAll(district, JSON.stringify({ taskId: id(3) }))).json()).toEqual({ acknowledged: 1 });
    const left = await s.db.selectFrom('notification').select('task_id').where('unit', '=', '独山子区人民政府').where('acknowledged_at', 'is', null).execute();
    expect(left.map((n) => n.task_id)).toEqual([id(1)]);

    const refused = await readAll(office);
    expect(refused.status).toBe(403);
    const bad = await readAll(district, '{"all":true}');
    expect(bad.status).toBe(422);
    expect(((await problemOf(bad)).errors as { path: string }[]).map((e) => e.path)).toEqual(['body.all']);
    expect(await unread('独山子区人民政府')).toBe(1);
  });

  it('given unread notices on two tasks, when the unit opens one task’s page, then that task’s notices are read and the other’s not; 全部已读 on the notifications page reads the rest', async () => {
    await accepted(s.send('2023-06-01 10:00', office, 1, { type: 'URGE', message: '请加快推进' }));
    await accepted(s.send('2023-06-01 10:05', office, 3, { type: 'URGE', message: '请加快推进' }));
    const page = new WebClient(s.url);
    await page.signIn(await s.token('unit', '克拉玛依区人民政府'));
    expect(textOf((await page.get('/notifications')).body)).toContain('未读 2 条');
    // When it opens task 3
    expect((await page.get(`/tasks/${id(3)}`)).status).toBe(200);
    // Then task 3's notice is read, task 1's is not
    const left = await s.db.selectFrom('notification').select('task_id').where('unit', '=', '克拉玛依区人民政府').where('acknowledged_at', 'is', null).execute();
    expect(left.map((n) => n.task_id)).toEqual([id(1)]);
    // When it presses 全部已读
    const notices = await page.get('/notifications');
    expect(textOf(notices.body)).toContain('未读 1 条');
    expect(notices.body).toContain('action="/notifications/read-all"');
    const pressed = await page.post('/notifications/read-all', {});
    expect(pressed.status).toBe(303);
    expect(pressed.location).toBe('/notifications');
    // Then nothing is unread, and the button is gone
    const after = await page.get('/notifications');
    expect(textOf(after.body)).toContain('未读 0 条');
    expect(after.body).not.toContain('action="/notifications/read-all"');
    expect(await unread('克拉玛依区人民政府')).toBe(0);
    // The office opening a task marks nothing of the units'
    const officePage = new WebClient(s.url);
    await officePage.signIn(office);
    await officePage.get(`/tasks/${id(1)}`);
    expect(await unread('乌尔禾区人民政府')).toBe(2);
  });
});
