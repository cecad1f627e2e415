import { reformTaskEventTypes } from '@duban/reform-task';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, taskId } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';

const PASSWORD = 'Karamay-2023-ok';
/** Task 7 is led by 市水务局; task 1 by 市发改委; 独山子区人民政府 is a responsible unit of task 2 (as one of 各区人民政府). */
const WATERS = taskId(7);
const NOT_WATERS = taskId(1);

describe('authorization per person', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(() => server.close());

  const account = (login: string, role: 'unit-staff' | 'admin' | 'office-staff', unit?: string) =>
    server.duban.accounts.create({ login, displayName: login, role, unit: unit ?? null, password: PASSWORD, mustChangePassword: false }, server.clock.now());
  const signIn = async (login: string) => {
    const browser = new WebClient(server.url);
    await browser.get('/login');
    await browser.post('/login', { login, password: PASSWORD });
    return browser;
  };
  const tokenOf = async (id: number, role: 'unit' | 'admin' | 'office', unit: string | null = null) => (await server.tokens.create({ role, unit, accountId: id }, server.clock.now())).token;
  const ids = async (token: string) => ((await (await server.request('/api/tasks?limit=200', { token })).json()) as { items: { id: string }[] }).items.map((t) => t.id);

  it('given a unit\'s staff, when they list, open and act on tasks by session and by token, then they reach their unit\'s tasks only', async () => {
    const wangli = await account('wangli', 'unit-staff', '市水务局');
    const token = await tokenOf(wangli.id, 'unit', '市水务局');
    const listed = await ids(token);
    expect(listed).toContain(WATERS);
    expect(listed).not.toContain(NOT_WATERS);
    const entries = await server.auditCount();
    expect((await server.send(token, NOT_WATERS, { type: 'START' })).status).toBe(404);
    const browser = await signIn('wangli');
    expect((await browser.get(`/tasks/${NOT_WATERS}`)).status).toBe(404);
    expect((await browser.post(`/tasks/${NOT_WATERS}/events/START`, { _version: '1', _key: 'k1-form-key-0000000000' })).status).toBe(404);
    expect(await server.auditCount()).toBe(entries);
    expect((await server.send(token, WATERS, { type: 'START' })).status).toBe(200);
  });

  it('given a disabled account, when its browser and its token try anything, then nothing is done and no entry is written', async () => {
    const wangli = await account('wangli', 'unit-staff', '市水务局');
    const token = await tokenOf(wangli.id, 'unit', '市水务局');
    const browser = await signIn('wangli');
    await browser.get(`/tasks/${WATERS}`);
    await server.duban.accounts.setDisabled(wangli.id, true, server.clock.now());
    const entries = await server.auditCount();
    expect((await server.send(token, WATERS, { type: 'START' })).status).toBe(401);
    expect((await server.request('/api/tasks?limit=1', { token })).status).toBe(401);
    const posted = await browser.post(`/tasks/${WATERS}/events/START`, { _version: '1', _key: 'k2-form-key-0000000000' });
    expect(posted.status).toBe(303);
    expect(posted.location).toMatch(/^\/login/);
    expect((await browser.get('/mine')).location).toMatch(/^\/login/);
    expect(await server.auditCount()).toBe(entries);
  });

  it('given an account moved to another unit, when its old session and token come back, then the old unit\'s tasks are gone at once and the new unit\'s open after signing in again', async () => {
    const staff = await account('dszq', 'unit-staff', '市水务局');
    const token = await tokenOf(staff.id, 'unit', '市水务局');
    const browser = await signIn('dszq');
    expect((await browser.get(`/tasks/${WATERS}`)).status).toBe(200);
    const before = await ids(token);
    await server.duban.accounts.update(staff.id, { unit: '独山子区人民政府' }, server.clock.now());
    expect((await server.send(token, WATERS, { type: 'START' })).status).toBe(401);
    expect((await browser.get(`/tasks/${WATERS}`)).location).toMatch(/^\/login/);
    const fresh = await tokenOf(staff.id, 'unit', '独山子区人民政府');
    const after = await ids(fresh);
    // The water bureau's own tasks, in which the district has no part.
    const lost = before.filter((id) => !after.includes(id));
    expect(lost.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    const again = await signIn('dszq');
    expect(textOf((await again.get('/mine')).body)).toContain('独山子区人民政府 dszq');
    for (const id of lost.slice(0, 3)) expect((await again.get(`/tasks/${id}`)).status, id).toBe(404);
    expect((await server.send(fresh, lost[0]!, { type: 'START' })).status).toBe(404);
  });

  it('given an admin (session or token), when they send any event to any task, then it is refused: an admin never acts as a unit or the office, and no entry is written', async () => {
    const root = await account('root', 'admin');
    const token = await tokenOf(root.id, 'admin');
    const entries = await server.auditCount();
    expect((await server.send(token, WATERS, { type: 'START' })).status).toBe(403);
    for (const type of reformTaskEventTypes) {
      const refused = await server.send(token, WATERS, { type, summary: '代为报送', message: 'x', reason: 'x' });
      expect([403, 422], `${type}: ${refused.status}`).toContain(refused.status);
    }
    const browser = await signIn('root');
    await browser.get(`/tasks/${WATERS}`);
    const posted = await browser.post(`/tasks/${WATERS}/events/START`, { _version: '1', _key: 'k3-form-key-0000000000' });
    expect(posted.status).toBe(403);
    expect(await server.auditCount()).toBe(entries);
  });
});
