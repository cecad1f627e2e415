import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@duban/engine';
import { main } from '../../src/cli.ts';
import { openDuban } from '../../src/app/open-duban.ts';
import { reopenableDatabase, startTestServer } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';

const PASSWORD = 'Organise-2023-ok';

async function organisationEntries(entries: AsyncIterable<AuditEntry>): Promise<AuditEntry[]> {
  const found: AuditEntry[] = [];
  for await (const entry of entries) found.push(entry);
  return found.filter((entry) => entry.type !== 'CREATE');
}

describe('account changes in the audit log', () => {
  let server: TestServer;
  let admin: WebClient;
  beforeEach(async () => {
    server = await startTestServer();
    await server.duban.accounts.create({ login: 'root', displayName: '管理员乙', role: 'admin', password: PASSWORD, mustChangePassword: false }, server.clock.now());
    admin = new WebClient(server.url);
    await admin.get('/login');
    await admin.post('/login', { login: 'root', password: PASSWORD });
  });
  afterEach(() => server.close());

  it('given an admin on 账号管理, when they create an account, move it to another unit, disable, enable and reset it, then each is one hashed entry naming the admin, none holds the code, and the log verifies', async () => {
    await admin.get('/admin/accounts');
    const created = await admin.post('/admin/accounts', { login: 'dszq', displayName: '赵敏', role: 'unit-staff', unit: '独山子区人民政府', phone: '', email: '' });
    const firstCode = /一次性登录码：([A-Z2-9-]{14})/.exec(textOf(created.body))![1]!;
    const account = (await server.duban.accounts.byLogin('dszq'))!;
    await admin.post(`/admin/accounts/${account.id}`, { role: 'unit-staff', unit: '白碱滩区人民政府' });
    await admin.post(`/admin/accounts/${account.id}/disable`, {});
    await admin.post(`/admin/accounts/${account.id}/enable`, {});
    const reset = await admin.post(`/admin/accounts/${account.id}/reset`, {});
    const secondCode = /一次性登录码：([A-Z2-9-]{14})/.exec(textOf(reset.body))![1]!;

    const entries = await organisationEntries(server.engine.entries({ instanceId: 'organisation' }));
    expect(entries.map((entry) => entry.type)).toEqual(['CREATE_ACCOUNT', 'CHANGE_ACCOUNT', 'DISABLE_ACCOUNT', 'ENABLE_ACCOUNT', 'RESET_ACCOUNT']);
    for (const entry of entries) {
      expect(entry.actor).toMatchObject({ role: 'admin', account: { name: '管理员乙' } });
      expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
      for (const code of [firstCode, secondCode]) expect(JSON.stringify(entry)).not.toContain(code);
    }
    expect(entries[0]!.payload).toEqual({ account: { login: 'dszq', displayName: '赵敏', role: 'unit-staff', unit: '独山子区人民政府' } });
    expect(entries[1]!.payload).toMatchObject({ before: { id: account.id, unit: '独山子区人民政府' }, after: { id: account.id, unit: '白碱滩区人民政府' } });
    expect(await server.engine.verify()).toMatchObject({ ok: true });
    const replay = await server.engine.replay();
    expect(replay.differences).toEqual([]);
  });

  it('given a refused change (a duplicate login name, an unknown unit), when the admin posts it, then no entry is written', async () => {
    const before = await server.auditCount();
    await admin.get('/admin/accounts');
    expect((await admin.post('/admin/accounts', { login: 'root', displayName: '重名', role: 'office-staff', unit: '', phone: '', email: '' })).status).toBe(422);
    await admin.get('/admin/accounts');
    expect((await admin.post('/admin/accounts', { login: 'newbie', displayName: '新人', role: 'unit-staff', unit: '市宇宙局', phone: '', email: '' })).status).toBe(422);
    expect(await server.auditCount()).toBe(before);
  });
});

describe('duban account from the console', () => {
  it('given a database, when an account is made, reset and disabled with the CLI, then each is an organisation entry by the console\'s admin and `audit verify` stays intact', async () => {
    const db = await reopenableDatabase();
    await (await openDuban(db, { create: true })).close();
    const io = { out: (_: string) => undefined, err: (_: string) => undefined };
    expect(await main(['account', 'create', '--db', db, '--login', 'lisi', '--name', '李四', '--role', 'office-staff'], io)).toBe(0);
    expect(await main(['account', 'reset', '--db', db, 'lisi'], io)).toBe(0);
    expect(await main(['account', 'disable', '--db', db, 'lisi'], io)).toBe(0);
    const duban = await openDuban(db, { create: false });
    try {
      const entries = await organisationEntries(duban.engine.entries({ instanceId: 'organisation' }));
      expect(entries.map((entry) => [entry.type, entry.actor])).toEqual([
        ['CREATE_ACCOUNT', { role: 'admin', unit: null }],
        ['RESET_ACCOUNT', { role: 'admin', unit: null }],
        ['DISABLE_ACCOUNT', { role: 'admin', unit: null }],
      ]);
      expect(await duban.engine.verify()).toMatchObject({ ok: true });
    } finally {
      await duban.close();
    }
  });
});
