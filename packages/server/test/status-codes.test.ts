import { StoreUnavailable } from '@duban/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { TestServer } from './support/test-server.ts';
import { problemOf, startTestServer, taskId } from './support/test-server.ts';

// Task 7: lead 市水务局, responsible 各区人民政府, deadline 2023-05-31.
// Task 12: lead 市市场监管局. Task 51: lead 市政务服务和公共资源交易中心.
describe('HTTP status codes (DESIGN "Status codes")', () => {
  let s: TestServer;
  let office: string;
  let reviewer: string;
  let water: string;
  let market: string;

  beforeAll(async () => {
    s = await startTestServer();
    office = await s.token('office');
    reviewer = await s.token('reviewer');
    water = await s.token('unit', '市水务局');
    market = await s.token('unit', '市市场监管局');
  });
  afterAll(() => s.close());

  /** when `act` runs, then the audit log has no new entry. */
  async function refusesWithoutWriting(act: () => Promise<Response>): Promise<Response> {
    const before = await s.auditCount();
    const response = await act();
    expect(await s.auditCount()).toBe(before);
    return response;
  }

  it('200: when GET /healthz is asked without a token, then it answers ok', async () => {
    const response = await s.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('x-request-id')).toMatch(/.+/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('200: when a lead unit starts its task, then the answer carries the task, the entry and the new ETag, as JSON in UTF-8 with its length', async () => {
    const response = await s.send(water, taskId(7), { type: 'START', note: '已签收' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await response.text();
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
    const body = JSON.parse(text) as { task: Record<string, unknown>; entry: Record<string, unknown> };
    expect(body.task).toMatchObject({ id: taskId(7), state: 'in_progress', version: 2, light: 'green', overdue: false });
    expect(body.entry).toMatchObject({ taskId: taskId(7), type: 'START', from: 'assigned', to: 'in_progress', actor: { role: 'unit', unit: '市水务局' }, payload: { note: '已签收' } });
    expect(body.entry).not.toHaveProperty('instanceId');
    expect(response.headers.get('etag')).toBe('"2"');
  });

  it('200: when a unit reads its task, then the answer carries ETag "<version>" and the caller\'s allowedEvents', async () => {
    const response = await s.request(`/api/tasks/${taskId(7)}`, { token: water });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"2"');
    const task = (await response.json()) as { allowedEvents: string[] };
    expect(task.allowedEvents).toContain('REPORT');
    expect(task.allowedEvents).not.toContain('VERIFY');
  });

  it('400: when an event is sent as malformed JSON, then it is refused and nothing is written', async () => {
    const response = await refusesWithoutWriting(() => s.send(water, taskId(7), '{"type": "PROGRESS",'));
    expect(response.status).toBe(400);
    expect(await problemOf(response)).toMatchObject({ status: 400, type: 'urn:duban:problem:malformed-json', title: '请求体不是有效的 JSON' });
  });

  it('401: given no token, a malformed token or an unknown token, when the tasks are listed, then 401 with a Bearer challenge', async () => {
    for (const token of [undefined, 'nonsense', `dbn_office_${'A'.repeat(32)}`]) {
      const response = await s.request('/api/tasks', token === undefined ? {} : { token });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const problem = await problemOf(response);
      expect(problem).toMatchObject({ status: 401, title: '未认证或令牌无效', instance: '/api/tasks' });
      expect(typeof problem['detail']).toBe('string');
    }
  });

  it('401 before anything else: when an event comes without a token, then nothing is written', async () => {
    const response = await refusesWithoutWriting(() => s.send(undefined as unknown as string, taskId(7), { type: 'PROGRESS', summary: 'x' }));
    expect(response.status).toBe(401);
  });

  it('403: when a unit sends VERIFY, the office a system event or a reviewer any event, then 403 and nothing is written', async () => {
    await s.send(market, taskId(12), { type: 'START' });
    await s.send(market, taskId(12), { type: 'REPORT', summary: '完成', evidence: [{ title: '总结' }] });
    const cases: [string, unknown][] = [
      [market, { type: 'VERIFY' }],
      [office, { type: 'DEADLINE_PASSED' }],
      [office, { type: 'WARN' }],
      [reviewer, { type: 'VERIFY' }],
      [reviewer, { type: 'URGE', message: '请加快' }],
    ];
    for (const [token, body] of cases) {
      const response = await refusesWithoutWriting(() => s.send(token, taskId(12), body));
      expect(response.status).toBe(403);
      expect(await problemOf(response)).toMatchObject({ status: 403, title: '无权执行此操作' });
    }
  });

  it('404: when a unit reads, or sends to, a task it is no party to, then the answer is byte-identical to that for an unknown task', async () => {
    // 市水务局 is no party to task 12.
    const invisible = await s.request(`/api/tasks/${taskId(12)}`, { token: water });
    const unknown = await s.request(`/api/tasks/${taskId(999)}`, { token: water });
    expect(invisible.status).toBe(404);
    expect(unknown.status).toBe(404);
    const [a, b] = [await invisible.text(), await unknown.text()];
    expect(a).toBe(b);
    expect(invisible.headers.get('content-type')).toBe(unknown.headers.get('content-type'));
    expect(JSON.parse(a)).toMatchObject({ status: 404, title: '任务不存在' });
    // The same holds for history and events, and an event to an invisible task writes nothing.
    expect(await (await s.request(`/api/tasks/${taskId(12)}/history`, { token: water })).text()).toBe(
      await (await s.request(`/api/tasks/${taskId(999)}/history`, { token: water })).text(),
    );
    const sent = await refusesWithoutWriting(() => s.send(water, taskId(12), { type: 'PROGRESS', summary: '越权' }));
    expect(sent.status).toBe(404);
    expect(await sent.text()).toBe(await (await s.send(water, taskId(999), { type: 'PROGRESS', summary: '越权' })).text());
  });

  it('404: when an unknown route is asked, then the answer is problem+json too', async () => {
    const response = await s.request('/nowhere');
    expect(response.status).toBe(404);
    expect(await problemOf(response)).toMatchObject({ status: 404, instance: '/nowhere' });
    expect((await s.request('/api/nowhere', { token: office })).status).toBe(404);
  });

  it('409: when an event comes that the state does not allow, then the answer lists the events that are allowed', async () => {
    const response = await refusesWithoutWriting(() => s.send(office, taskId(51), { type: 'VERIFY' }));
    expect(response.status).toBe(409);
    const problem = await problemOf(response);
    expect(problem).toMatchObject({ status: 409, title: '当前状态不允许此操作', state: 'assigned' });
    expect(problem['allowedEvents']).toEqual(expect.arrayContaining(['URGE', 'ESCALATE', 'CANCEL']));
    expect(problem['allowedEvents']).not.toContain('VERIFY');
  });

  it('412: given a stale If-Match, when an event is sent, then it is refused with the current ETag; a current one goes through', async () => {
    const current = await s.request(`/api/tasks/${taskId(7)}`, { token: water });
    const etag = current.headers.get('etag')!;
    const stale = `"${Number(etag.slice(1, -1)) - 1}"`;
    const response = await refusesWithoutWriting(() => s.send(water, taskId(7), { type: 'PROGRESS', summary: '进展' }, { 'If-Match': stale }));
    expect(response.status).toBe(412);
    expect(response.headers.get('etag')).toBe(etag);
    expect(await problemOf(response)).toMatchObject({ status: 412, etag });
    // when If-Match is current, then it goes through and the ETag moves on
    const ok = await s.send(water, taskId(7), { type: 'PROGRESS', summary: '进展' }, { 'If-Match': etag });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe(`"${Number(etag.slice(1, -1)) + 1}"`);
  });

  it('413: when a body over 64 KiB is sent, then it is refused and nothing is written', async () => {
    const response = await refusesWithoutWriting(() => s.send(water, taskId(7), { type: 'PROGRESS', summary: 'x'.repeat(70 * 1024) }));
    expect(response.status).toBe(413);
    expect(await problemOf(response)).toMatchObject({ status: 413, title: '请求体过大' });
  });

  it('415: when a body that is not JSON is sent, then it is refused and nothing is written', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const response = await refusesWithoutWriting(() =>
        s.request(`/api/tasks/${taskId(7)}/events`, { method: 'POST', token: water, headers: { 'Content-Type': contentType }, body: 'type=PROGRESS' }),
      );
      expect(response.status).toBe(415);
      expect(await problemOf(response)).toMatchObject({ status: 415 });
    }
  });

  it('422: when a payload fails its schema, then the answer names the fields', async () => {
    const response = await refusesWithoutWriting(() => s.send(water, taskId(7), { type: 'PROGRESS', summary: '', percent: 150, extra: 1 }));
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    const paths = (problem['errors'] as { path: string; message: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['summary', 'percent']));
    expect(problem).toMatchObject({ status: 422, title: '请求内容不符合要求' });
  });

  it('422: when an event has an unknown type, no type or is no object, then it is refused and nothing is written', async () => {
    for (const body of [{ type: 'FLY' }, { summary: 'x' }, [1, 2], { type: 7 }]) {
      const response = await refusesWithoutWriting(() => s.send(water, taskId(7), body));
      expect(response.status).toBe(422);
      const problem = await problemOf(response);
      expect((problem['errors'] as unknown[]).length).toBeGreaterThan(0);
    }
  });

  it('422: when the task list is asked with a bad query value, then the answer names the parameter', async () => {
    for (const query of ['limit=0', 'limit=1001', 'limit=abc', 'state=nowhere', 'light=blue', 'cursor=***', 'colour=red']) {
      const response = await s.request(`/api/tasks?${query}`, { token: office });
      expect(response.status, query).toBe(422);
      const problem = await problemOf(response);
      expect((problem['errors'] as { path: string }[])[0]?.path).toMatch(/^query\./);
    }
  });

  it('422: given a malformed Idempotency-Key or If-Match, when an event is sent, then it is refused and nothing is written', async () => {
    const long = await refusesWithoutWriting(() => s.send(water, taskId(7), { type: 'PROGRESS', summary: '进展' }, { 'Idempotency-Key': 'k'.repeat(201) }));
    expect(long.status).toBe(422);
    const weak = await refusesWithoutWriting(() => s.send(water, taskId(7), { type: 'PROGRESS', summary: '进展' }, { 'If-Match': 'W/"3"' }));
    expect(weak.status).toBe(422);
  });

  it('503: given the store unavailable, when an event is sent, then Retry-After is set and nothing is written', async () => {
    const spy = vi.spyOn(s.engine, 'send').mockRejectedValueOnce(new StoreUnavailable('database is locked'));
    try {
      const response = await refusesWithoutWriting(() => s.send(water, taskId(7), { type: 'PROGRESS', summary: '进展' }));
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await problemOf(response)).toMatchObject({ status: 503, title: '服务暂时不可用' });
    } finally {
      spy.mockRestore();
    }
  });

  it('500: given an unexpected error, when a task is read, then the body is generic, with no stack and no internal message', async () => {
    const spy = vi.spyOn(s.engine, 'getInstance').mockRejectedValueOnce(new Error('secret internal detail'));
    try {
      const response = await s.request(`/api/tasks/${taskId(7)}`, { token: water });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(text).not.toContain('secret internal detail');
      expect(text).not.toMatch(/\bat .*\.ts:\d+/);
      expect(JSON.parse(text)).toMatchObject({ status: 500, title: '服务器内部错误' });
    } finally {
      spy.mockRestore();
    }
  });

  it('given every refusal above, when a reviewer verifies and replays, then the audit chain is intact and replays with no difference', async () => {
    const verify = await s.request('/api/audit/verify', { token: reviewer });
    expect(await verify.json()).toMatchObject({ ok: true });
    const replay = (await (await s.request('/api/replay', { token: reviewer })).json()) as { items: unknown[]; differences: unknown[] };
    expect(replay.items).toHaveLength(71);
    expect(replay.differences).toEqual([]);
  });
});

describe('429: rate limit per token', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ rateLimit: 3 });
  });
  afterAll(() => s.close());

  it('given a limit of 3 a minute, when a token sends a 4th request, then it is refused with Retry-After, another token is not, and the next window lets it on', async () => {
    const office = await s.token('office');
    const other = await s.token('office');
    for (let i = 0; i < 3; i += 1) expect((await s.request('/api/tasks?limit=1', { token: office })).status).toBe(200);
    const refused = await s.request('/api/tasks?limit=1', { token: office });
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await problemOf(refused)).toMatchObject({ status: 429 });
    expect((await s.request('/api/tasks?limit=1', { token: other })).status).toBe(200);
    // when the window turns, then the token may go on
    s.clock.advance(60_000);
    expect((await s.request('/api/tasks?limit=1', { token: office })).status).toBe(200);
  });
});

describe('429: failed bearer tokens per address', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ rateLimit: 3 });
  });
  afterAll(() => s.close());

  it('given a limit of 3 a minute, when an address sends a 4th wrong token, then it is refused with 429, a valid token from it too, until the window turns', async () => {
    const office = await s.token('office');
    for (let i = 0; i < 3; i += 1) expect((await s.request('/api/tasks?limit=1', { token: `wrong-guess-${i}` })).status).toBe(401);
    const refused = await s.request('/api/tasks?limit=1', { token: 'wrong-guess-3' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await problemOf(refused)).toMatchObject({ status: 429, retryAfter: expect.any(Number) });
    // a right guess gains nothing while the address is refused
    expect((await s.request('/api/tasks?limit=1', { token: office })).status).toBe(429);
    s.clock.advance(60_000);
    expect((await s.request('/api/tasks?limit=1', { token: office })).status).toBe(200);
  });
});

describe('the Authorization scheme', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('given a valid token, when the scheme is written in any letter case, then it is accepted (RFC 9110: case-insensitive)', async () => {
    const token = await s.token('office');
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      expect((await s.request('/api/tasks?limit=1', { headers: { Authorization: `${scheme} ${token}` } })).status, scheme).toBe(200);
    }
    expect((await s.request('/api/tasks?limit=1', { headers: { Authorization: `Basic ${token}` } })).status).toBe(401);
  });
});

describe('bodies that must be refused before anything reads them', () => {
  let s: TestServer;
  let water: string;
  beforeAll(async () => {
    s = await startTestServer();
    water = await s.token('unit', '市水务局');
  });
  afterAll(() => s.close());

  /** Sends `body` as task 7's event and returns the status and the problem, after checking nothing was written. */
  async function refused(body: string, headers: Record<string, string> = {}) {
    const before = await s.auditCount();
    const response = await s.send(water, taskId(7), body, headers);
    expect(await s.auditCount()).toBe(before);
    return { status: response.status, problem: await problemOf(response) };
  }

  it('given a body nested 6,000 levels deep with an Idempotency-Key, then 422 naming the depth, not 500', async () => {
    const deep = `{"type":"START","note":${'['.repeat(6000)}${']'.repeat(6000)}}`;
    const { status, problem } = await refused(deep, { 'Idempotency-Key': 'deep-1' });
    expect(status).toBe(422);
    expect(JSON.stringify(problem['errors'])).toContain('nested deeper than 32 levels');
  });

  it('given a corrupt gzip or deflate body, then 400, not 500', async () => {
    for (const encoding of ['gzip', 'deflate']) {
      const response = await fetch(`${s.url}/api/tasks/${taskId(7)}/events`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${water}`, 'Content-Type': 'application/json', 'Content-Encoding': encoding },
        body: new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02]),
      });
      expect(response.status, encoding).toBe(400);
      expect(await problemOf(response)).toMatchObject({ status: 400 });
    }
  });

  it('given an event type named like an object property, then 422 unknown event, not 403', async () => {
    for (const type of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const { status, problem } = await refused(JSON.stringify({ type }));
      expect(status, type).toBe(422);
      expect(problem['type'], type).toBe('urn:duban:problem:unknown-event');
    }
  });

  it('given a __proto__ key in a payload, then 422 naming it, and the event is not accepted without it', async () => {
    const { status, problem } = await refused('{"type":"START","__proto__":{"note":"x"}}');
    expect(status).toBe(422);
    expect(problem['errors']).toEqual([{ path: '__proto__', message: 'the key __proto__ is not accepted' }]);
  });

  it('given text with an unpaired surrogate, then 422: the hashed log holds only valid Unicode (I-JSON)', async () => {
    const { status, problem } = await refused('{"type":"START","note":"a\\ud800b"}');
    expect(status).toBe(422);
    expect(problem['errors']).toEqual([{ path: 'note', message: expect.stringContaining('unpaired UTF-16 surrogate') }]);
  });

  it('given a note of zero-width spaces only, then 422: text must hold a visible character', async () => {
    const { status, problem } = await refused(JSON.stringify({ type: 'START', note: '\u200b\u200b\ufeff ' }));
    expect(status).toBe(422);
    expect(problem['errors']).toEqual([{ path: 'note', message: expect.stringContaining('可见文字') }]);
  });
});
