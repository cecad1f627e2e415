import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { problemOf, startTestServer, taskId } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';

// Replays, verifications and past-day reports take turns: one runs, one waits, the next is refused.
// The test holds the replays open with a gate of its own, so nothing here depends on timing.

describe('heavy reads take turns', () => {
  let server: TestServer;
  let reviewer: string;
  let open: () => void;
  let gate: Promise<void>;

  beforeEach(async () => {
    server = await startTestServer({ heavyReads: { running: 1, queued: 1 } });
    reviewer = await server.token('reviewer');
    gate = new Promise<void>((resolve) => (open = resolve));
    // Every replay waits at the gate before it reads the log.
    const replay = server.engine.replay.bind(server.engine);
    server.engine.replay = async (...args: Parameters<typeof replay>) => {
      await gate;
      return replay(...args);
    };
  });
  afterEach(async () => {
    open();
    await server.close();
  });

  const load = () => server.duban.heavyReads.load;
  const replay = (signal?: AbortSignal) => server.request('/api/replay', { token: reviewer, ...(signal === undefined ? {} : { signal }) });

  it('given one replay running and one waiting, when a third comes, then it gets 503 with Retry-After and a Chinese title, while a task and the plan as of now still answer', async () => {
    const first = replay();
    await expect.poll(load).toEqual({ running: 1, queued: 0 });
    const second = replay();
    await expect.poll(load).toEqual({ running: 1, queued: 1 });

    const third = await replay();
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('5');
    const body = await problemOf(third);
    expect(body).toMatchObject({ type: 'urn:duban:problem:heavy-reads-busy', title: '回放、校验和历史报表查询繁忙，请稍后再试', status: 503, retryAfter: 5 });
    // Verification and a past day's report share the turns; the plan as of now and a task do not.
    expect((await server.request('/api/audit/verify', { token: reviewer })).status).toBe(503);
    const office = await server.token('office');
    expect((await server.request('/api/reports/summary?asOf=2023-05-09', { token: office })).status).toBe(503);
    expect((await server.request('/api/reports/summary', { token: office })).status).toBe(200);
    expect((await server.request(`/api/tasks/${encodeURIComponent(taskId(7))}`, { token: reviewer })).status).toBe(200);
    expect(load()).toEqual({ running: 1, queued: 1 });

    // The queue drains: both answer once the gate opens, and the turns are free again.
    open();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    await expect.poll(load).toEqual({ running: 0, queued: 0 });
    expect((await replay()).status).toBe(200);
  });

  it('given a replay waiting, when its client disconnects, then it leaves the queue and another may wait in its place', async () => {
    const first = replay();
    await expect.poll(load).toEqual({ running: 1, queued: 0 });
    const leaving = new AbortController();
    const left = replay(leaving.signal).catch((error: unknown) => error);
    await expect.poll(load).toEqual({ running: 1, queued: 1 });
    leaving.abort();
    expect(await left).toBeInstanceOf(Error);
    await expect.poll(load).toEqual({ running: 1, queued: 0 });
    const next = replay();
    await expect.poll(load).toEqual({ running: 1, queued: 1 });
    open();
    expect((await first).status).toBe(200);
    expect((await next).status).toBe(200);
    await expect.poll(load).toEqual({ running: 0, queued: 0 });
  });

  it('given the turns taken, when a reviewer opens the audit page, then the Chinese error page says so with 503 and Retry-After', async () => {
    const first = replay();
    const second = replay();
    await expect.poll(load).toEqual({ running: 1, queued: 1 });
    const browser = new WebClient(server.url);
    await browser.signIn(reviewer);
    const page = await browser.get('/audit');
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('5');
    expect(textOf(page.body)).toContain('回放、校验和历史报表查询繁忙，请稍后再试');
    expect((await browser.get(`/tasks/${encodeURIComponent(taskId(7))}`)).status).toBe(200);
    open();
    await Promise.all([first, second]);
  });
});
