import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayDiffResponse } from '../../src/api/schemas.ts';
import type { TestServer } from '../support/test-server.ts';
import { problemOf, startTestServer, taskId } from '../support/test-server.ts';
import { runCli } from '../support/run-cli.ts';

interface Change {
  taskId: string;
  number: number;
  from: { state: string; light: string; dueDate: string | null } | null;
  to: { state: string; light: string; dueDate: string | null };
  changed: string[];
}

describe('time travel: what changed between two instants', () => {
  let s: TestServer;
  let dir: string;
  let db: string;
  let reviewer: string;
  const diff = async (from: string, to: string) => {
    const response = await s.request(`/api/replay/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { token: reviewer });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: Change[] };
    expect(replayDiffResponse.safeParse(body).error).toBeUndefined();
    return body.items;
  };

  beforeAll(async () => {
    // Given the plan imported on 2023-05-10 09:00; task 7 (市水务局, due 2023-05-31) started on 05-11 and
    // extended to 06-30 on 05-16; on 07-01 every unreported task due by June turns red.
    dir = mkdtempSync(join(tmpdir(), 'duban-diff-'));
    db = join(dir, 'diff.db');
    s = await startTestServer({ db });
    reviewer = await s.token('reviewer');
    const office = await s.token('office');
    const water = await s.token('unit', '市水务局');
    s.clock.set('2023-05-11T10:00:00+08:00');
    expect((await s.send(water, taskId(7), { type: 'START' })).status).toBe(200);
    s.clock.set('2023-05-15T10:00:00+08:00');
    expect((await s.send(water, taskId(7), { type: 'REQUEST_EXTENSION', until: '2023-06-30', reason: '汛期施工' })).status).toBe(200);
    s.clock.set('2023-05-16T10:00:00+08:00');
    expect((await s.send(office, taskId(7), { type: 'DECIDE_EXTENSION', approve: true })).status).toBe(200);
    s.clock.set('2023-07-01T00:00:00+08:00');
    await s.engine.fireDue(s.clock.now());
  });
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a reviewer diffs the days around task 7\'s start, then it lists that task\'s state change, with both sides', async () => {
    expect(await diff('2023-05-10T12:00:00+08:00', '2023-05-12T00:00:00+08:00')).toEqual([
      { taskId: taskId(7), number: 7, from: { state: 'assigned', light: 'green', dueDate: '2023-05-31' }, to: { state: 'in_progress', light: 'green', dueDate: '2023-05-31' }, changed: ['state'] },
    ]);
  });

  it('when a reviewer diffs the days around the approved extension, then it lists task 7\'s deadline moved', async () => {
    const items = await diff('2023-05-12T00:00:00+08:00', '2023-05-20T00:00:00+08:00');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ taskId: taskId(7), changed: ['deadline'], from: { dueDate: '2023-05-31' }, to: { dueDate: '2023-06-30' } });
  });

  it('when a reviewer diffs across the June deadlines, then it lists the lights that turned red, each task once, by number', async () => {
    const items = await diff('2023-05-20T00:00:00+08:00', '2023-07-02T00:00:00+08:00');
    expect(items.length).toBeGreaterThan(10);
    expect(items.every((c) => c.changed.includes('light') && c.to.light === 'red')).toBe(true);
    expect(items.map((c) => c.number)).toEqual([...items.map((c) => c.number)].sort((a, b) => a - b));
    expect(items.find((c) => c.taskId === taskId(4))).toMatchObject({ from: { state: 'assigned', light: 'green' }, to: { state: 'assigned', light: 'red' }, changed: ['light'] });
    // Task 5 is due in November: unchanged, so not listed.
    expect(items.find((c) => c.taskId === taskId(5))).toBeUndefined();
  });

  it('when a reviewer diffs from before the plan existed, then every task shows from: null; when the two instants are equal, then nothing is listed', async () => {
    const items = await diff('2023-05-09T00:00:00+08:00', '2023-05-10T12:00:00+08:00');
    expect(items).toHaveLength(71);
    expect(items[0]).toMatchObject({ number: 1, from: null, changed: ['state', 'light', 'deadline'] });
    expect(await diff('2023-05-12T00:00:00+08:00', '2023-05-12T00:00:00+08:00')).toEqual([]);
  });

  it('when a reviewer gives a missing, bad or reversed interval, then 422 names the field; when a unit asks, then 403', async () => {
    const cases: [string, string][] = [
      ['?from=2023-05-12T00:00:00Z', 'query.to'],
      ['?from=yesterday&to=2023-05-12T00:00:00Z', 'query.from'],
      ['?from=2023-05-12T00:00:00Z&to=2023-05-11T00:00:00Z', 'query.to'],
    ];
    for (const [query, field] of cases) {
      const response = await s.request(`/api/replay/diff${query}`, { token: reviewer });
      expect(response.status, query).toBe(422);
      expect(((await problemOf(response))['errors'] as { path: string }[]).map((e) => e.path), query).toContain(field);
    }
    const unit = await s.token('unit', '市水务局');
    expect((await s.request('/api/replay/diff?from=2023-05-12T00:00:00Z&to=2023-05-13T00:00:00Z', { token: unit })).status).toBe(403);
  });

  it('when `duban replay diff` runs on the database, then it prints the same changes, one line per task, and refuses a reversed or open interval', async () => {
    const result = await runCli('replay', 'diff', '--db', db, '--from', '2023-05-10T12:00:00+08:00', '--to', '2023-05-20');
    expect(result.code, result.err).toBe(0);
    expect(result.out.split('\n')).toEqual([
      `#7\t${taskId(7)}\tstate assigned -> in_progress; deadline 2023-05-31 -> 2023-06-30`,
      '1 task(s) changed between 2023-05-10T04:00:00.000Z and 2023-05-19T16:00:00.000Z',
    ]);
    const reversed = await runCli('replay', 'diff', '--db', db, '--from', '2023-05-20', '--to', '2023-05-10');
    expect(reversed.code).toBe(2);
    expect(reversed.err).toMatch(/--to .* must not be before --from/);
    expect((await runCli('replay', 'diff', '--db', db, '--from', '2023-05-20')).err).toMatch(/--to is required/);
  });

  it('when `duban replay --as-of` runs on the database, then it still gives the states as they stood then', async () => {
    const result = await runCli('replay', '--db', db, '--as-of', '2023-05-12');
    expect(result.code).toBe(0);
    expect(result.out).toContain(`${taskId(7)}\tin_progress\tv2`);
    // On 2 threads, the same lines.
    expect(await runCli('replay', '--db', db, '--as-of', '2023-05-12', '--workers', '2')).toEqual(result);
  });
});
