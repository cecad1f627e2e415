import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestServer } from './support/test-server.ts';
import { startTestServer, taskId } from './support/test-server.ts';

describe('request ids and logs', () => {
  let s: TestServer;
  const lines: string[] = [];
  beforeAll(async () => {
    s = await startTestServer({ logLines: lines });
  });
  afterAll(() => s.close());

  it('given an X-Request-Id, when the request is answered, then a sane id is echoed and one with spaces is replaced by a new one', async () => {
    expect((await s.request('/healthz', { headers: { 'X-Request-Id': 'abc-123' } })).headers.get('x-request-id')).toBe('abc-123');
    const made = (await s.request('/healthz', { headers: { 'X-Request-Id': 'bad id with spaces' } })).headers.get('x-request-id');
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when a unit reads a task, sends an event and tries a tampered token, then each request logs one line with its id, status and client, and never the token', async () => {
    const token = await s.token('unit', '市水务局');
    lines.length = 0;
    await s.request(`/api/tasks/${taskId(7)}`, { token, headers: { 'X-Request-Id': 'req-1' } });
    await s.send(token, taskId(7), { type: 'START', note: 'x' }, { 'X-Request-Id': 'req-2' });
    await s.request('/api/tasks', { token: `${token}tampered`, headers: { 'X-Request-Id': 'req-3' } });
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.map((l) => [l['reqId'], l['status']])).toEqual([
      ['req-1', 200],
      ['req-2', 200],
      ['req-3', 401],
    ]);
    // The peer's address: this test's own loopback connection.
    expect(logged.map((l) => l['client'])).toEqual(Array(3).fill(expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$/)));
    const text = lines.join('\n');
    expect(text).not.toContain(token.slice(-32));
    expect(text.toLowerCase()).not.toContain('authorization');
  });

  it('given X-Forwarded-For, when the request is logged, then the client is the forwarded address behind a trusted proxy, and the peer otherwise', async () => {
    const proxied: string[] = [];
    const behindProxy = await startTestServer({ logLines: proxied, trustProxy: 'loopback' });
    try {
      await behindProxy.request('/healthz', { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    } finally {
      await behindProxy.close();
    }
    expect(proxied.map((l) => (JSON.parse(l) as Record<string, unknown>)['client'])).toEqual(['203.0.113.7']);
    // Without --trust-proxy the header is only the client's word: the log keeps the peer.
    lines.length = 0;
    await s.request('/healthz', { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    expect(lines.map((l) => (JSON.parse(l) as Record<string, unknown>)['client'])).toEqual([expect.stringMatching(/^(::ffff:)?127\.0\.0\.1$/)]);
  });

  it('given a token sent in the query as access_token, when the request is logged, then the line carries no token', async () => {
    const token = await s.token('office');
    lines.length = 0;
    await s.request(`/api/tasks?limit=1&access_token=${token}`, { token });
    const [line] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(line?.['url']).toBe('/api/tasks?limit=1&access_token=[redacted]');
    expect(lines.join('\n')).not.toContain(token);
  });

  it('given a store that throws, when a request reaches it, then the 500 is logged with the request id and the error, which the client never sees', async () => {
    const token = await s.token('office');
    lines.length = 0;
    const spy = vi.spyOn(s.engine, 'getInstances').mockRejectedValueOnce(new Error('kaboom in the store'));
    try {
      const response = await s.request('/api/tasks', { token, headers: { 'X-Request-Id': 'req-500' } });
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain('kaboom');
    } finally {
      spy.mockRestore();
    }
    const failure = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l['msg'] === 'request failed');
    expect(failure).toMatchObject({ reqId: 'req-500', status: 500 });
    expect(JSON.stringify(failure)).toContain('kaboom in the store');
  });
});
