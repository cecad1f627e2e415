import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, taskId } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { textOf, WebClient } from './support/web-client.ts';

const WATER = '市水务局';
const DRC = '市发改委';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function signedIn(s: TestServer, role: 'unit' | 'office' | 'reviewer' | 'admin', unit?: string): Promise<WebClient> {
  const browser = new WebClient(s.url);
  await browser.signIn(await s.token(role, unit));
  return browser;
}

/** Task 7 (市水务局) urged by the office, task 1 (市发改委) reported and closed with a commendation. */
async function scenario(): Promise<TestServer> {
  server = await startTestServer();
  const s = server;
  const [water, drc, office] = [await s.token('unit', WATER), await s.token('unit', DRC), await s.token('office')];
  s.clock.set('2023-05-11T10:00:00+08:00');
  for (const [token, n, body] of [
    [office, 7, { type: 'URGE', message: '请加快推进' }],
    [drc, 1, { type: 'START' }],
    [drc, 1, { type: 'REPORT', summary: '清单已落实', evidence: [{ title: '负面清单' }] }],
    [office, 1, { type: 'VERIFY', opinion: '同意' }],
    [office, 1, { type: 'CLOSE', commend: true }],
  ] as const) {
    const response = await s.send(token, taskId(n), body);
    if (response.status !== 200) throw new Error(`${body.type}: ${response.status}`);
  }
  s.clock.set('2023-05-15T09:00:00+08:00');
  return s;
}

describe('who may open the notifications, the circular and the assessment', () => {
  it('given the office urged task 7, when the office opens its notifications page, then it sees the notices it sent, to whom and whether read, and no form to mark them read', async () => {
    const s = await scenario();
    const office = await signedIn(s, 'office');
    const page = await office.get('/notifications');
    expect(page.status).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('已发通知');
    expect(text).toContain(`发往${WATER}`);
    expect(text).toContain('【督办】第7项任务');
    expect(page.body).not.toContain('/read"');
    expect(page.body).toContain('href="/notifications" aria-current="page"');
  });

  it('given a unit, when it opens the circular and its printable text, then it reads the circular the office issues to every unit', async () => {
    const s = await scenario();
    const water = await signedIn(s, 'unit', WATER);
    const page = await water.get('/circular?from=2023-05-01&to=2023-05-14');
    expect(page.status).toBe(200);
    expect(textOf(page.body)).toContain('关于2023年5月“放管服”改革工作推进情况的通报');
    const view = await water.get('/circular/view?from=2023-05-01&to=2023-05-14');
    expect(view.status).toBe(200);
    expect(textOf(view.body)).toContain('第1项');
  });

  it('given a unit, when it opens the assessment, then it sees its own row and reasons only, never another unit\'s', async () => {
    const s = await scenario();
    const drc = await signedIn(s, 'unit', DRC);
    const page = await drc.get('/assessment');
    expect(page.status).toBe(200);
    const rows = [...page.body.matchAll(/<th scope="row" data-label="单位">([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(rows).toEqual([DRC]);
    expect(textOf(page.body)).toContain('第1项');
    const water = await signedIn(s, 'unit', WATER);
    const other = await water.get('/assessment');
    expect([...other.body.matchAll(/<th scope="row" data-label="单位">([^<]+)<\/th>/g)].map((m) => m[1])).toEqual([WATER]);
    expect(other.body).not.toContain(`href="/tasks/${taskId(1)}"`);
  });

  it('given the office, when it is refused a page, then the 403 page does not tell it to contact the office', async () => {
    server = await startTestServer();
    const office = await signedIn(server, 'office');
    const page = await office.get('/mine');
    expect(page.status).toBe(403);
    expect(textOf(page.body)).not.toContain('联系领导小组办公室');
    const unit = await signedIn(server, 'unit', WATER);
    expect(textOf((await unit.get('/dashboard')).body)).toContain('联系领导小组办公室');
  });
});
