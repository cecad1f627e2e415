import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli as run } from '../support/run-cli.ts';
import { openDuban } from '../../src/app/open-duban.ts';
import { reopenableDatabase, startTestServer, taskId } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';

describe('the person in the log', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(() => server.close());

  it('given a token of a unit staff\'s account, when it sends an event, then the entry names the person, the API\'s history and the task page show the name, and the chain verifies', async () => {
    const account = await server.duban.accounts.create({ login: 'wangli', displayName: '王力', role: 'unit-staff', unit: '市水务局', password: 'Karamay-2023-ok', mustChangePassword: false }, server.clock.now());
    const { token } = await server.tokens.create({ role: 'unit', unit: '市水务局', accountId: account.id }, server.clock.now());
    expect((await server.send(token, taskId(7), { type: 'START' })).status).toBe(200);
    const history = (await (await server.request(`/api/tasks/${taskId(7)}/history`, { token })).json()) as { items: { type: string; actor: unknown }[] };
    expect(history.items.find((e) => e.type === 'START')?.actor).toEqual({ role: 'unit', unit: '市水务局', account: { id: account.id, name: '王力' } });
    expect((await server.engine.log.verify()).ok).toBe(true);

    const browser = new WebClient(server.url);
    await browser.get('/login');
    await browser.post('/login', { login: 'wangli', password: 'Karamay-2023-ok' });
    expect(textOf((await browser.get(`/tasks/${taskId(7)}`)).body)).toContain('市水务局 王力');
  });

  it('given an account\'s token that expires, when its time passes, then it stops; a disabled account\'s token stops at once', async () => {
    const account = await server.duban.accounts.create({ login: 'office1', displayName: '李督查', role: 'office-staff' }, server.clock.now());
    const expiring = await server.tokens.create({ role: 'office', accountId: account.id, expiresAt: new Date(server.clock.now().getTime() + 3_600_000) }, server.clock.now());
    const forever = await server.tokens.create({ role: 'office', accountId: account.id }, server.clock.now());
    const service = await server.token('office');
    expect((await server.request('/api/tasks?limit=1', { token: expiring.token })).status).toBe(200);
    server.clock.advance(3_600_000);
    expect((await server.request('/api/tasks?limit=1', { token: expiring.token })).status).toBe(401);
    expect((await server.request('/api/tasks?limit=1', { token: forever.token })).status).toBe(200);
    await server.duban.accounts.setDisabled(account.id, true, server.clock.now());
    expect((await server.request('/api/tasks?limit=1', { token: forever.token })).status).toBe(401);
    expect((await server.request('/api/tasks?limit=1', { token: service })).status).toBe(200);
  });
});

describe('duban account and duban token --account', () => {
  let db: string;
  beforeAll(async () => {
    db = await reopenableDatabase();
    await (await openDuban(db, { create: true })).close();
  });
  afterAll(() => undefined);

  it('given a new database, when accounts are made, listed, reset and disabled from the CLI, then each refusal is in Chinese and changes nothing', async () => {
    const made = await run('account', 'create', '--db', db, '--login', 'dszq', '--name', '赵敏', '--role', 'unit-staff', '--unit', '独山子区人民政府');
    expect(made.code).toBe(0);
    expect(made.out).toMatch(/created account 1 dszq \(赵敏, unit-staff 独山子区人民政府\)/);
    const code = made.out.split('\n').at(-1)!;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    expect(await run('account', 'create', '--db', db, '--login', 'DSZQ', '--name', '重名', '--role', 'unit-staff', '--unit', '市水务局')).toMatchObject({ code: 1, err: expect.stringContaining('登录名“dszq”已被使用') });
    expect(await run('account', 'create', '--db', db, '--login', 'gq', '--name', '各区', '--role', 'unit-staff', '--unit', '各区人民政府')).toMatchObject({ code: 1, err: expect.stringContaining('代表多个单位') });
    expect(await run('account', 'create', '--db', db, '--login', 'x1', '--name', 'X', '--role', 'king')).toMatchObject({ code: 2 });
    const listed = await run('account', 'list', '--db', db);
    expect(listed.out.split('\n')).toHaveLength(2);
    expect(listed.out).toContain('dszq\t赵敏\tunit-staff\t独山子区人民政府\tnone\t-');

    const token = await run('token', 'create', '--db', db, '--account', 'dszq', '--expires', '30d');
    expect(token.out).toMatch(/acting as dszq \(赵敏, unit 独山子区人民政府\), expiring /);
    expect((await run('token', 'create', '--db', db, '--account', 'dszq', '--role', 'office')).code).toBe(2);
    expect((await run('token', 'create', '--db', db, '--account', 'nobody')).code).toBe(1);
    expect((await run('token', 'create', '--db', db, '--role', 'office', '--expires', 'soon')).err).toContain('--expires must be');
    const secret = token.out.split('\n').at(-1)!;

    const authenticate = async () => {
      const duban = await openDuban(db, { create: false });
      try {
        return await duban.tokens.authenticate(secret, new Date());
      } finally {
        await duban.close();
      }
    };
    expect((await authenticate())?.account).toEqual({ id: 1, name: '赵敏' });
    expect((await run('account', 'disable', 'dszq', '--db', db)).out).toContain('its sessions and tokens have ended');
    expect(await authenticate()).toBeUndefined();
    expect((await run('account', 'reset', 'nobody', '--db', db))).toMatchObject({ code: 1, err: expect.stringContaining('没有登录名为“nobody”的账号') });
    expect((await run('account', 'enable', 'dszq', '--db', db)).out).toContain('enabled account dszq');
    expect((await run('account', 'reset', 'dszq', '--db', db)).out.split('\n').at(-1)).not.toBe(code);
  });
});
