import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLogResponse } from '../../src/api/schemas.ts';
import type { TestServer } from '../support/test-server.ts';
import { problemOf, startTestServer, taskId } from '../support/test-server.ts';
import { WebClient } from '../web/support/web-client.ts';

/** A GET whose request line is in absolute form (`GET http://host/path HTTP/1.1`), as a proxy client sends it. */
function absoluteFormGet(base: string, path: string, token: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method: 'GET', path: `${base}${path}`, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

interface AccessRecord {
  id: number;
  at: string;
  tokenId: number;
  role: string;
  method: string;
  path: string;
  status: number;
}

describe('the access log: who read what, apart from the audit chain', () => {
  let s: TestServer;
  let reviewer: { token: string; id: number };
  let office: { token: string; id: number };
  let admin: string;
  let water: string;
  const issue = async (role: 'reviewer' | 'office') => {
    const { token, record } = await s.tokens.create({ role }, s.clock.now());
    return { token, id: record.id };
  };
  const accessLog = async (query = '') => {
    const response = await s.request(`/api/audit/access-log${query}`, { token: admin });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: AccessRecord[]; next: number | null };
    expect(accessLogResponse.safeParse(body).error).toBeUndefined();
    return body;
  };

  beforeAll(async () => {
    s = await startTestServer();
    reviewer = await issue('reviewer');
    office = await issue('office');
    admin = await s.token('admin');
    water = await s.token('unit', '市水务局');
  });
  afterAll(() => s.close());

  it('given reads by a reviewer and the office, when the access log is read, then each is recorded with token, role, method, path and query, status and the clock\'s time, and the audit chain did not grow', async () => {
    const auditBefore = await s.auditCount();
    s.clock.set('2023-05-12T08:30:00+08:00');
    expect((await s.request('/api/tasks?limit=5&light=green', { token: reviewer.token })).status).toBe(200);
    s.clock.set('2023-05-12T08:31:00+08:00');
    expect((await s.request('/api/tasks/no-such-task', { token: reviewer.token })).status).toBe(404);
    expect((await s.request('/api/audit/verify', { token: reviewer.token })).status).toBe(200);
    expect((await s.request(`/api/replay?asOf=${encodeURIComponent('2023-05-11T00:00:00Z')}`, { token: office.token })).status).toBe(200);

    const { items } = await accessLog();
    expect(items.map(({ id: _id, ...rest }) => rest)).toEqual([
      { at: '2023-05-12T00:30:00.000Z', tokenId: reviewer.id, role: 'reviewer', method: 'GET', path: '/api/tasks?limit=5&light=green', status: 200 },
      { at: '2023-05-12T00:31:00.000Z', tokenId: reviewer.id, role: 'reviewer', method: 'GET', path: '/api/tasks/no-such-task', status: 404 },
      { at: '2023-05-12T00:31:00.000Z', tokenId: reviewer.id, role: 'reviewer', method: 'GET', path: '/api/audit/verify', status: 200 },
      { at: '2023-05-12T00:31:00.000Z', tokenId: office.id, role: 'office', method: 'GET', path: '/api/replay?asOf=2023-05-11T00%3A00%3A00Z', status: 200 },
    ]);
    // Reading is not an event: the audit chain did not grow.
    expect(await s.auditCount()).toBe(auditBefore);
  });

  it('given a unit reading its tasks, or anyone calling a route outside audit, replay and tasks, when the access log is read, then that is not recorded', async () => {
    const before = (await accessLog()).items.length;
    expect((await s.request(`/api/tasks/${taskId(7)}`, { token: water })).status).toBe(200);
    expect((await s.request('/api/nothing-here', { token: reviewer.token })).status).toBe(404);
    // A path in other letter case reaches the same route, and is recorded like it.
    expect((await s.request('/API/Tasks?limit=1', { token: reviewer.token })).status).toBe(200);
    const { items } = await accessLog();
    // Besides that, the only new record is the admin's previous read of the access log itself.
    expect(items.slice(before).map((r) => `${r.role} ${r.path}`)).toEqual(['admin /api/audit/access-log', 'reviewer /API/Tasks?limit=1']);
  });

  it('given a reviewer whose request line is in absolute form, when it reads a task\'s history, then the read is recorded by its routed path', async () => {
    const before = (await accessLog()).items.length;
    expect(await absoluteFormGet(s.url, `/api/tasks/${taskId(7)}/history`, reviewer.token)).toBe(200);
    const { items } = await accessLog();
    expect(items.slice(before).map((r) => `${r.role} ${r.path}`)).toEqual(['admin /api/audit/access-log', `reviewer /api/tasks/${taskId(7)}/history`]);
  });

  it('given a reviewer, when it reads the ledger, the unit assessment and the notifications through the API and the pages, then every read is recorded', async () => {
    const before = (await accessLog()).items.length;
    for (const path of ['/api/reports/ledger.csv', '/api/reports/units', '/api/reports/summary', '/api/notifications']) {
      expect((await s.request(path, { token: reviewer.token })).status, path).toBeLessThan(500);
    }
    const pages = new WebClient(s.url);
    await pages.signIn(reviewer.token);
    for (const path of ['/ledger', '/ledger.csv', '/assessment', '/dashboard']) expect((await pages.get(path)).status, path).toBeLessThan(500);
    const { items } = await accessLog();
    const recorded = items.slice(before).filter((r) => r.tokenId === reviewer.id).map((r) => r.path);
    expect(recorded).toEqual(['/api/reports/ledger.csv', '/api/reports/units', '/api/reports/summary', '/api/notifications', '/ledger', '/ledger.csv', '/assessment', '/dashboard']);
  });

  it('when an admin pages the access log with after and limit, then each page follows the one before, and limit=0 gets 422', async () => {
    const all = (await accessLog('?limit=1000')).items;
    const first = await accessLog('?limit=2');
    expect(first.items.map((r) => r.id)).toEqual(all.slice(0, 2).map((r) => r.id));
    expect(first.next).toBe(all[1]!.id);
    const second = await accessLog(`?after=${first.next}&limit=2`);
    expect(second.items.map((r) => r.id)).toEqual(all.slice(2, 4).map((r) => r.id));
    expect((await s.request('/api/audit/access-log?limit=0', { token: admin })).status).toBe(422);
  });

  it('when the office or a unit reads the access log, then it gets 403; a reviewer may read it', async () => {
    expect((await s.request('/api/audit/access-log', { token: reviewer.token })).status).toBe(200);
    for (const token of [office.token, water]) {
      const response = await s.request('/api/audit/access-log', { token });
      expect(response.status).toBe(403);
      expect((await problemOf(response))['detail']).toMatch(/may not read the access log/);
    }
  });
});

describe('when the access log cannot be written', () => {
  it('when a reviewer lists the tasks, then the request is answered anyway and the failure is logged', async () => {
    const logLines: string[] = [];
    const s = await startTestServer({ logLines });
    try {
      const reviewer = await s.token('reviewer');
      await s.engine.store.kysely.schema.dropTable('access_log').execute();
      const response = await s.request('/api/tasks?limit=1', { token: reviewer });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { items: unknown[] }).items).toHaveLength(1);
      await expect.poll(() => logLines.some((line) => line.includes('writing the access log failed')), { timeout: 5000 }).toBe(true);
    } finally {
      await s.close();
    }
  });
});
