import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, taskId } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';

const PASSWORD = 'Karamay-2023-ok';

describe('the person named where an office would: the task, the ledger, the notices and the circular', () => {
  let server: TestServer;
  let water: string;
  let office: string;
  let serviceOffice: string;

  beforeEach(async () => {
    server = await startTestServer();
    const at = server.clock.now();
    const wangli = await server.duban.accounts.create({ login: 'wangli', displayName: '王力', role: 'unit-staff', unit: '市水务局', password: PASSWORD, mustChangePassword: false }, at);
    const li = await server.duban.accounts.create({ login: 'li', displayName: '李督查', role: 'office-staff' }, at);
    water = (await server.tokens.create({ role: 'unit', unit: '市水务局', accountId: wangli.id }, at)).token;
    office = (await server.tokens.create({ role: 'office', accountId: li.id }, at)).token;
    serviceOffice = await server.token('office');
  });
  afterEach(() => server.close());

  const send = async (token: string, body: Record<string, unknown>) => {
    const response = await server.send(token, taskId(7), body);
    if (response.status !== 200) throw new Error(`${body['type']}: ${response.status} ${await response.text()}`);
  };

  it('given a unit\'s staff who reported and an office person who urged, when the office reads, then the task, its page, the ledger, the unit\'s notice and the circular name them beside their unit', async () => {
    server.clock.set('2023-05-11T10:00:00+08:00');
    await send(water, { type: 'START' });
    await send(water, { type: 'PROGRESS', summary: '已起草招标程序修订稿', percent: 40 });
    await send(office, { type: 'URGE', message: '请于本周内报送办结' });

    const task = (await (await server.request(`/api/tasks/${taskId(7)}`, { token: office })).json()) as { lastProgress: unknown };
    expect(task.lastProgress).toMatchObject({ summary: '已起草招标程序修订稿', by: '市水务局', person: { name: '王力' } });
    const browser = new WebClient(server.url);
    await browser.get('/login');
    await browser.post('/login', { login: 'wangli', password: PASSWORD });
    expect(textOf((await browser.get(`/tasks/${taskId(7)}`)).body)).toContain('报送人 市水务局 王力');

    const notices = (await (await server.request('/api/notifications', { token: water })).json()) as { items: { type: string; body: string }[] };
    expect(notices.items.find((n) => n.type === 'URGE')?.body).toMatch(/请于本周内报送办结。.*（发送人：办公室 李督查）$/);

    server.clock.set('2023-05-20T10:00:00+08:00');
    await send(water, { type: 'REPORT', summary: '已修订招标程序', evidence: [{ title: '印发通知' }] });
    await send(serviceOffice, { type: 'VERIFY', opinion: '同意' });
    const ledger = await (await server.request('/api/reports/ledger.csv', { token: office })).text();
    expect(ledger.split('\n').find((line) => line.startsWith('7,'))).toContain('已修订招标程序（报送人：市水务局 王力）');

    server.clock.set('2023-06-01T10:00:00+08:00');
    const circular = await (await server.request('/api/reports/circular?from=2023-05&to=2023-05', { token: office })).text();
    expect(circular).toMatch(/第7项：.*报送人：市水务局 王力，2023年5月20日核验通过/);
  });

  it('given a service token (no person), when it reports and urges, then nothing names a person and the old wording stands', async () => {
    const serviceWater = await server.token('unit', '市水务局');
    server.clock.set('2023-05-11T10:00:00+08:00');
    await send(serviceWater, { type: 'START' });
    await send(serviceWater, { type: 'PROGRESS', summary: '已起草', percent: 40 });
    await send(serviceOffice, { type: 'URGE', message: '请加快推进' });
    const task = (await (await server.request(`/api/tasks/${taskId(7)}`, { token: office })).json()) as { lastProgress: Record<string, unknown> };
    expect(task.lastProgress).not.toHaveProperty('person');
    const notices = (await (await server.request('/api/notifications', { token: serviceWater })).json()) as { items: { body: string }[] };
    expect(notices.items[0]?.body).not.toContain('发送人');
    const ledger = await (await server.request('/api/reports/ledger.csv', { token: office })).text();
    expect(ledger).not.toContain('报送人');
  });
});
