import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, taskId } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { textOf, WebClient } from './support/web-client.ts';

/** The task pages of a unit see the notifications `openDuban`'s commit hook writes, as `serve` does. */
describe('a unit\'s notifications page', () => {
  let server: TestServer;
  let url: string;
  const token = async (role: 'unit' | 'office', unit?: string) => server.token(role, unit);

  beforeEach(async () => {
    server = await startTestServer();
    url = server.url;
  });
  afterEach(async () => {
    await server.close();
  });

  it('given the office urged task 7 and rejected its report, when the unit opens its notifications page and marks one read with a form post, then the notices show newest first, unread ones marked, and that one read', async () => {
    // Given the office urged task 7 and then rejected its report
    const office = new WebClient(url);
    await office.signIn(await token('office'));
    const water = new WebClient(url);
    await water.signIn(await token('unit', '市水务局'));
    await water.get(`/tasks/${taskId(7)}`);
    await water.post(`/tasks/${taskId(7)}/events/START`, { _version: '1' });
    await water.get(`/tasks/${taskId(7)}`);
    await water.post(`/tasks/${taskId(7)}/events/REPORT`, { _version: '2', summary: '完成', 'evidence.0.title': '通知' });
    await office.get(`/tasks/${taskId(7)}`);
    await office.post(`/tasks/${taskId(7)}/events/URGE`, { _version: '3', message: '请尽快补充材料' });
    server.clock.advance(60_000);
    await office.get(`/tasks/${taskId(7)}`);
    await office.post(`/tasks/${taskId(7)}/events/REJECT`, { _version: '4', failed: 'requirementsMet', reason: '缺少印发文件' });

    // When the unit opens its notifications
    const page = await water.get('/notifications');

    // Then both are there, the rejection first, both unread
    const text = textOf(page.body);
    expect(text).toContain('未读 2 条');
    expect(text.indexOf('【退回】第7项任务办结报送被退回')).toBeLessThan(text.indexOf('【督办】第7项任务'));
    expect(text).toContain('理由：缺少印发文件');
    expect(text).toContain('2023-05-10 09:01');
    expect(textOf((await water.get('/mine')).body)).toContain('您有 2 条未读通知');

    // When it marks the rejection read
    await water.get('/notifications');
    const id = /action="\/notifications\/(\d+)\/read"/.exec(water.last!.body)![1]!;
    const read = await water.post(`/notifications/${id}/read`, {});
    expect(read.status).toBe(303);
    expect(read.location).toBe('/notifications');

    // Then one is left unread, and another unit can neither see nor mark it
    expect(textOf((await water.get('/notifications')).body)).toContain('未读 1 条');
    const other = new WebClient(url);
    await other.signIn(await token('unit', '市发改委'));
    expect(textOf((await other.get('/notifications')).body)).toContain('暂无通知');
    const [second] = [...water.last!.body.matchAll(/action="\/notifications\/(\d+)\/read"/g)].map((m) => m[1]);
    expect((await other.post(`/notifications/${second}/read`, {})).status).toBe(404);
    expect(textOf((await water.get('/notifications')).body)).toContain('未读 1 条');
  });
});
