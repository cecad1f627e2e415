import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestServer } from './support/test-server.ts';
import { problemOf, startTestServer, taskId } from './support/test-server.ts';

describe('Idempotency-Key on POST /api/tasks/:id/events', () => {
  let s: TestServer;
  let water: string;
  beforeEach(async () => {
    s = await startTestServer();
    water = await s.token('unit', '市水务局');
  });
  afterEach(() => s.close());

  it('given a committed request, when it is repeated with the same key and body, then the first response comes back and no second entry is written', async () => {
    const first = await s.send(water, taskId(7), { type: 'START', note: '签收' }, { 'Idempotency-Key': 'start-7' });
    const count = await s.auditCount();
    // Time passes and the task moves on before the retry arrives.
    s.clock.advance(3_600_000);
    await s.send(water, taskId(7), { type: 'PROGRESS', summary: '进展' });
    const countAfterProgress = await s.auditCount();
    expect(countAfterProgress).toBe(count + 1);
    // Key order in the body does not matter: the fingerprint is over canonical JSON.
    const retry = await s.send(water, taskId(7), { note: '签收', type: 'START' }, { 'Idempotency-Key': 'start-7' });
    expect(retry.status).toBe(first.status);
    expect(await retry.text()).toBe(await first.text());
    expect(await s.auditCount()).toBe(countAfterProgress);
  });

  it('given a used key, when it comes with another body, then 422 and nothing is written', async () => {
    await s.send(water, taskId(7), { type: 'START' }, { 'Idempotency-Key': 'k1' });
    const count = await s.auditCount();
    const response = await s.send(water, taskId(7), { type: 'PROGRESS', summary: '不同的请求' }, { 'Idempotency-Key': 'k1' });
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem['errors']).toEqual([expect.objectContaining({ path: 'Idempotency-Key' })]);
    expect(await s.auditCount()).toBe(count);
  });

  it('given a used key, when it comes with the same body to another task (another path), then 422', async () => {
    await s.send(water, taskId(7), { type: 'START' }, { 'Idempotency-Key': 'k2' });
    const count = await s.auditCount();
    // 市水务局 is a responsible unit of task 5, so it sees it.
    const response = await s.send(water, taskId(5), { type: 'START' }, { 'Idempotency-Key': 'k2' });
    expect(response.status).toBe(422);
    expect(await s.auditCount()).toBe(count);
  });

  it('given two tokens, when each sends a request with the same key, then both are run as two different requests', async () => {
    const gov = await s.token('unit', '市政务服务和公共资源交易中心');
    const a = await s.send(water, taskId(7), { type: 'START' }, { 'Idempotency-Key': 'same' });
    const b = await s.send(gov, taskId(51), { type: 'START' }, { 'Idempotency-Key': 'same' });
    expect([a.status, b.status]).toEqual([200, 200]);
    const entries = await s.engine.readAudit(0, 1000);
    expect(entries.filter((e) => e.type === 'START')).toHaveLength(2);
  });

  it('when two identical requests with one key race, then one runs and both get its response', async () => {
    const count = await s.auditCount();
    const body = { type: 'START', note: '并发' };
    const responses = await Promise.all([1, 2, 3].map(() => s.send(water, taskId(7), body, { 'Idempotency-Key': 'race' })));
    const texts = await Promise.all(responses.map((r) => r.text()));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(texts).size).toBe(1);
    expect(await s.auditCount()).toBe(count + 1);
  });

  it('when two different requests with one key race, then one commits and the other gets 422', async () => {
    await s.send(water, taskId(7), { type: 'START' });
    const count = await s.auditCount();
    const [a, b] = await Promise.all([
      s.send(water, taskId(7), { type: 'PROGRESS', summary: '甲' }, { 'Idempotency-Key': 'race2' }),
      s.send(water, taskId(7), { type: 'PROGRESS', summary: '乙' }, { 'Idempotency-Key': 'race2' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 422]);
    expect(await s.auditCount()).toBe(count + 1);
  });

  it('given no key, when a request is repeated, then it is simply a second event', async () => {
    await s.send(water, taskId(7), { type: 'START' });
    const count = await s.auditCount();
    await s.send(water, taskId(7), { type: 'PROGRESS', summary: '一' });
    await s.send(water, taskId(7), { type: 'PROGRESS', summary: '一' });
    expect(await s.auditCount()).toBe(count + 2);
  });
});
