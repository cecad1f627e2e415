import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './support/test-server.ts';
import { auditEntrySchema, eventResponse, taskListResponse, taskViewSchema } from '../src/api/schemas.ts';
import { startTestServer, taskId } from './support/test-server.ts';

describe('GET /api/openapi.json', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('when it is fetched without a token, then it is valid JSON with a path for every route and a request schema for every event a person may send', async () => {
    const response = await s.request('/api/openapi.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = JSON.parse(await response.text()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths).sort()).toEqual(
      ['/healthz', '/api/openapi.json', '/api/tasks', '/api/tasks/bulk-events', '/api/inbox', '/api/tasks/{id}', '/api/tasks/{id}/events', '/api/tasks/{id}/history', '/api/audit', '/api/audit/verify', '/api/replay',
       '/api/audit/checkpoints', '/api/audit/entries/{seq}/proof', '/api/audit/consistency', '/api/audit/access-log', '/api/replay/diff',
       '/api/reports/summary', '/api/reports/units', '/api/reports/ledger.csv', '/api/reports/ledger.xlsx', '/api/reports/circular', '/api/notifications', '/api/notifications/{id}/ack', '/api/notifications/read-all',
       '/api/units', '/api/units/{name}', '/api/reports/circulars', '/api/reports/circulars/{id}', '/api/reports/units.xlsx', '/api/tasks/{id}/watch', '/api/watches', '/api/notice-channels', '/api/notice-channels/{unit}/{channel}', '/api/notice-people', '/api/notice-people/{accountId}', '/api/notice-deliveries',
       '/api/plans/{id}/cycles', '/api/plans/{id}/cycles/tasks/{task}', '/api/plans/{id}/cycles/{cycle}/reports', '/api/plans/{id}/cycles/{cycle}/reports.xlsx',
      '/api/plans/{id}', '/api/plans/{id}/tasks', '/api/plans/{id}/revisions/preview', '/api/plans/{id}/revisions'].sort(),
    );
    expect(doc.paths['/api/tasks/{id}/events']).toHaveProperty('post');
    const events = Object.keys(doc.components.schemas).filter((name) => name.startsWith('Event_'));
    expect(events).toContain('Event_REPORT');
    expect(events).not.toContain('Event_WARN');
    expect(events).not.toContain('Event_DEADLINE_PASSED');
    // From the workflow's own schema: REPORT needs summary and evidence.
    expect(doc.components.schemas['Event_REPORT']?.required).toEqual(expect.arrayContaining(['type', 'summary', 'evidence']));
    expect(doc.components.schemas['TaskView']?.properties).toHaveProperty('allowedEvents');
    expect(doc.components.schemas['AuditEntry']?.properties).toHaveProperty('taskId');
    const listParams = (doc.paths['/api/tasks']?.['get'] as { parameters: { name: string }[] }).parameters.map((p) => p.name);
    expect(listParams).toEqual(['state', 'unit', 'light', 'partUnit', 'partLight', 'plan', 'q', 'sort', 'order', 'overdue', 'dueFrom', 'dueTo', 'limit', 'cursor']);
    const pageParams = (path: string) => (doc.paths[path]?.['get'] as { parameters: { name: string }[] }).parameters.map((p) => p.name);
    // The checkpoints page like the log itself.
    expect(pageParams('/api/audit/checkpoints')).toEqual(['after', 'limit']);
    expect(pageParams('/api/audit/checkpoints')).toEqual(pageParams('/api/audit'));
    expect(doc.components.schemas['Checkpoints']?.required).toEqual(['items', 'next']);
  });

  it('when a unit starts a task and reads it, the list and its history, then every response parses with the schemas the document gives', async () => {
    const water = await s.token('unit', '市水务局');
    const sent = (await (await s.send(water, taskId(7), { type: 'START' })).json()) as unknown;
    expect(eventResponse.safeParse(sent).error).toBeUndefined();
    const task = (await (await s.request(`/api/tasks/${taskId(7)}`, { token: water })).json()) as unknown;
    expect(taskViewSchema.safeParse(task).error).toBeUndefined();
    const list = (await (await s.request('/api/tasks?limit=1000', { token: water })).json()) as unknown;
    expect(taskListResponse.safeParse(list).error).toBeUndefined();
    const history = (await (await s.request(`/api/tasks/${taskId(7)}/history`, { token: water })).json()) as { items: unknown[] };
    for (const entry of history.items) expect(auditEntrySchema.safeParse(entry).error).toBeUndefined();
  });
});
