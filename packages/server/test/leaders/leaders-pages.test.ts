import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, taskId } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';

const PASSWORD = 'Karamay-2023-ok';

describe('a leader on the web pages: the dashboard, a 批示 on a task, the star and 我关注的任务', () => {
  let server: TestServer;
  let leader: WebClient;

  beforeAll(async () => {
    server = await startTestServer();
    await server.duban.accounts.create({ login: 'wang.fsz', displayName: '王副市长', role: 'leader', password: PASSWORD, mustChangePassword: false }, server.clock.now());
    leader = new WebClient(server.url);
    await leader.get('/login');
    const signedIn = await leader.post('/login', { login: 'wang.fsz', password: PASSWORD });
    expect(signedIn.location).toBe('/dashboard');
  });
  afterAll(() => server.close());

  it('when the leader opens the dashboard, then it shows with its charts, and a task offers the leader the form of 领导批示 and of no other event', async () => {
    const dashboard = await leader.get('/dashboard');
    expect(dashboard.status).toBe(200);
    // The pictures: each a linked SVG chart with its text alternative.
    for (const chart of ['chart-trend', 'chart-ranking', 'chart-unit-lights']) expect(dashboard.body).toContain(`aria-labelledby="${chart}-t ${chart}-d"`);
    expect(dashboard.body).toContain(`href="/tasks?unit=${encodeURIComponent('市发改委')}"`);
    const page = await leader.get(`/tasks/${taskId(3)}`);
    expect(page.status).toBe(200);
    const forms = [...page.body.matchAll(/action="\/tasks\/[^/"]+\/events\/([A-Z_]+)"/g)].map((m) => m[1]);
    expect(forms).toEqual(['INSTRUCT']);
  });

  it('when the leader writes a 批示 through the form, then the task page shows it under 领导批示 with the leader\'s name, first on the page', async () => {
    const page = await leader.get(`/tasks/${taskId(3)}`);
    const version = /name="_version" value="(\d+)"/.exec(page.body)?.[1] ?? '';
    const sent = await leader.post(`/tasks/${taskId(3)}/events/INSTRUCT`, { _version: version, _key: 'instruct-key-0000001', text: '请<b>加快</b>推进，本月底前见成效。' });
    expect(sent.status).toBe(303);
    const shown = await leader.get(`/tasks/${taskId(3)}`);
    const text = textOf(shown.body);
    expect(text).toContain('领导批示');
    expect(shown.body).toContain('请&lt;b&gt;加快&lt;/b&gt;推进');
    expect(shown.body.indexOf('id="instructions-h"')).toBeLessThan(shown.body.indexOf('id="facts-h"'));
    expect(text).toContain('王副市长');
  });

  it('when the leader stars two tasks and unstars one, then 我关注的任务 lists the other with its latest 批示', async () => {
    await leader.get(`/tasks/${taskId(3)}`);
    expect((await leader.post(`/tasks/${taskId(3)}/watch`, { watch: '1' })).location).toBe(`/tasks/${taskId(3)}`);
    const starred = await leader.get(`/tasks/${taskId(3)}`);
    expect(textOf(starred.body)).toContain('★ 已关注');
    expect((await leader.post(`/tasks/${taskId(6)}/watch`, { watch: '1' })).status).toBe(303);
    await leader.get(`/tasks/${taskId(6)}`);
    expect((await leader.post(`/tasks/${taskId(6)}/watch`, { watch: '0' })).status).toBe(303);
    const list = await leader.get('/watching');
    expect(list.status).toBe(200);
    const text = textOf(list.body);
    expect(text).toContain('您关注了 1 项任务');
    expect(text).toContain('第3项');
    expect(text).not.toContain('第6项');
    expect(text).toContain('最新批示：请<b>加快</b>推进');
  });

  it('when a unit\'s staff opens 我关注的任务 or posts a star, then 403, and a forged star is refused', async () => {
    await server.duban.accounts.create({ login: 'fgw', displayName: '张三', role: 'unit-staff', unit: '市发改委', password: PASSWORD, mustChangePassword: false }, server.clock.now());
    const unit = new WebClient(server.url);
    await unit.get('/login');
    await unit.post('/login', { login: 'fgw', password: PASSWORD });
    expect((await unit.get('/watching')).status).toBe(403);
    await unit.get(`/tasks/${taskId(3)}`);
    expect((await unit.post(`/tasks/${taskId(3)}/watch`, { watch: '1' })).status).toBe(403);
    expect((await leader.post(`/tasks/${taskId(5)}/watch`, { watch: '1' }, { csrf: 'forged' })).status).toBe(403);
    expect(await server.db.selectFrom('task_watch').select('task_id').execute()).toEqual([{ task_id: taskId(3) }]);
  });
});
