import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tamperAuditPayload } from '../support/tamper.ts';
import { onPostgres, startTestServer, taskId } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { elementById, textOf, WebClient } from './support/web-client.ts';

const WATER = '市水务局';
const DRC = '市发改委';

let server: TestServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/**
 * Given the Karamay plan imported on 2023-05-10 and, through the API: task 7 (市水务局) reported on
 * 05-11, task 1 (市发改委) reported on 05-12, the office rejecting task 7 with a reason and urging it on
 * 05-13, then task 7 reported again and verified and closed with a commendation on 05-14.
 */
async function scenario(options: { db?: string } = {}): Promise<TestServer & { at(iso: string): void }> {
  server = await startTestServer(options);
  const s = server;
  const [water, drc, office] = [await s.token('unit', WATER), await s.token('unit', DRC), await s.token('office')];
  const send = async (token: string, n: number, body: Record<string, unknown>) => {
    const response = await s.send(token, taskId(n), body);
    if (response.status !== 200) throw new Error(`${body['type']} on task ${n}: ${response.status} ${await response.text()}`);
  };
  const at = (iso: string) => s.clock.set(iso);
  at('2023-05-11T10:00:00+08:00');
  await send(water, 7, { type: 'START' });
  await send(water, 7, { type: 'REPORT', summary: '已修订招标程序', evidence: [{ title: '通知' }] });
  at('2023-05-12T10:00:00+08:00');
  await send(drc, 1, { type: 'START' });
  await send(drc, 1, { type: 'REPORT', summary: '清单已落实', evidence: [{ title: '负面清单' }] });
  at('2023-05-13T10:00:00+08:00');
  await send(office, 7, { type: 'REJECT', reason: '缺少印发文件' });
  await send(office, 7, { type: 'URGE', message: '请于本周内补齐材料' });
  at('2023-05-14T10:00:00+08:00');
  await send(water, 7, { type: 'REPORT', summary: '已补齐', evidence: [{ title: '印发文件' }] });
  await send(office, 7, { type: 'VERIFY', opinion: '同意' });
  await send(office, 7, { type: 'CLOSE', commend: true });
  at('2023-05-15T09:00:00+08:00');
  return Object.assign(s, { at });
}

async function signedIn(s: TestServer, role: 'unit' | 'office' | 'reviewer' | 'admin', unit?: string): Promise<WebClient> {
  const browser = new WebClient(s.url);
  await browser.signIn(await s.token(role, unit));
  return browser;
}

describe('the dashboard', () => {
  it('given the scenario and the deadlines of 2023-05-31 passed, when the office opens its dashboard, then it shows counts by state and light in figures and an SVG chart, tallies by part and lead unit, and the overdue list', async () => {
    // Given the scenario, and on 2023-06-02 the deadline timers of the tasks due 2023-05-31 fired
    const s = await scenario();
    s.at('2023-06-02T09:00:00+08:00');
    await s.engine.fireDue(s.clock.now());
    const office = await signedIn(s, 'office');

    // When the office opens its dashboard
    const page = await office.get('/dashboard');
    const text = textOf(page.body);

    // Then the figures add up and the chart describes the same counts
    expect(page.status).toBe(200);
    expect(text).toContain('71 任务总数');
    expect(text).toContain('1 待核验');
    expect(page.body).toMatch(/<svg class="chart"[^>]*role="group"/);
    expect(elementById(page.body, 'chart-state-d')).toContain('已销号1项');
    expect(elementById(page.body, 'chart-state-d')).toContain('待核验1项');
    expect(text).toMatch(/按所属部分统计 所属部分 任务数 .* 一、持续深化简政放权 25 /);
    expect(text).toContain(`${WATER} 1 1 0 0 0 0 1`);
    // and task 51 (due 2023-05-31, not started) is in the overdue list, 2 days late
    const overdue = textOf(page.body.slice(page.body.indexOf('id="overdue-h"'), page.body.indexOf('id="part-h"')));
    expect(overdue).toMatch(/51 配备完善“不见面”开标.* 2023-05-31 2 已交办/);
    expect(overdue).not.toContain('优化水利工程项目招标投标程序');
  });

  it('when the office filters the dashboard, then everything narrows to the filters and the matching tasks are listed', async () => {
    const s = await scenario();
    const office = await signedIn(s, 'office');
    const page = await office.get(`/dashboard?state=reported&unit=${encodeURIComponent(DRC)}`);
    const text = textOf(page.body);
    expect(text).toContain('1 任务总数');
    expect(text).toContain('符合筛选条件的任务（1 项）');
    expect(page.body).toContain(`href="/tasks/${taskId(1)}"`);
    expect(page.body).toMatch(/<option value="reported" selected>待核验<\/option>/);
    // an alias of a unit filters as its canonical name
    const alias = await office.get(`/dashboard?unit=${encodeURIComponent('市住房公积金中心')}`);
    expect(alias.body).toMatch(/<option value="市住房公积金管理中心" selected>/);
  });

  it('when the office asks the dashboard as of an earlier day, then it shows the plan as it stood at the end of that day, replayed from the log', async () => {
    const s = await scenario();
    const office = await signedIn(s, 'office');
    const then = await office.get('/dashboard?asOf=2023-05-12');
    expect(textOf(then.body)).toContain('全局看板（截至2023-05-12）');
    expect(elementById(then.body, 'chart-state-d')).toContain('待核验2项');
    expect(elementById(then.body, 'chart-state-d')).toContain('已销号0项');
    const now = await office.get('/dashboard');
    expect(elementById(now.body, 'chart-state-d')).toContain('已销号1项');
  });

  it('when the office asks the dashboard for a day to come or with a malformed filter, then the dashboard comes back 422 with the Chinese message beside the field', async () => {
    const s = await scenario();
    const office = await signedIn(s, 'office');
    const future = await office.get('/dashboard?asOf=2023-05-16');
    expect(future.status).toBe(422);
    expect(elementById(future.body, 'filter-asOf-error')).toContain('日期不能晚于今天（2023-05-15）');
    const bogus = await office.get(`/dashboard?light=purple&unit=${encodeURIComponent(DRC)}`);
    expect(bogus.status).toBe(422);
    expect(elementById(bogus.body, 'filter-light-error')).toContain('请从列表中选择红黄绿灯');
    expect(bogus.body).toMatch(/<option value="市发改委" selected>/);
    expect((await office.get('/dashboard?asOf=2023-02-30')).status).toBe(422);
  });
});

describe('the office pages', () => {
  it('when the office opens the queue, then the reported tasks wait there, the longest waiting first, each one click from its forms; a task reported later queues behind', async () => {
    const s = await scenario();
    // task 7 reported again on 05-15 08:00, after task 1 (05-12): task 1 waits longest
    const office = await signedIn(s, 'office');
    const page = await office.get('/queue');
    const text = textOf(page.body);
    expect(text).toContain('1 项，报送最早者在前');
    expect(page.body).toContain(`href="/tasks/${taskId(1)}#actions-h"`);
    expect(text).toContain('2023-05-12 10:00');

    // When a second task is reported later, it queues behind
    s.at('2023-05-15T09:30:00+08:00');
    const ngo = await s.token('unit', '市住建局');
    await s.send(ngo, taskId(5), { type: 'START' });
    await s.send(ngo, taskId(5), { type: 'REPORT', summary: '完成', evidence: [{ title: '方案' }] });
    const again = await office.get('/queue');
    expect(again.body.indexOf(`/tasks/${taskId(1)}#`)).toBeLessThan(again.body.indexOf(`/tasks/${taskId(5)}#`));
  });

  it('given task 9 reported before task 3, when the office opens the queue, then task 9 comes first: the queue follows the time of the report, not the task number', async () => {
    // Given task 9 reported before task 3
    server = await startTestServer();
    const s = server;
    s.clock.set('2023-05-11T09:00:00+08:00');
    const science = await s.token('unit', '市科技局');
    await s.send(science, taskId(9), { type: 'START' });
    await s.send(science, taskId(9), { type: 'REPORT', summary: '完成', evidence: [{ title: '办法' }] });
    s.clock.set('2023-05-11T11:00:00+08:00');
    const drc = await s.token('unit', DRC);
    await s.send(drc, taskId(3), { type: 'START' });
    await s.send(drc, taskId(3), { type: 'REPORT', summary: '完成', evidence: [{ title: '机制' }] });
    const office = await signedIn(s, 'office');
    const page = await office.get('/queue');
    expect(page.body.indexOf(`/tasks/${taskId(9)}#`)).toBeLessThan(page.body.indexOf(`/tasks/${taskId(3)}#`));
  });

  it('when the office opens the assessment, then every unit is scored with every reason behind a disclosure', async () => {
    const s = await scenario();
    const office = await signedIn(s, 'office');
    const page = await office.get('/assessment');
    const row = page.body.slice(page.body.indexOf(`<th scope="row" data-label="单位">${WATER}</th>`));
    const details = row.slice(0, row.indexOf('</tr>'));
    expect(details).toMatch(/<details><summary>明细（\d+ 项）<\/summary>/);
    expect(textOf(details)).toContain('第7项');
    expect(textOf(details)).toMatch(/[+-]\d/);
    const earlier = await office.get('/assessment?asOf=2023-05-11');
    expect(earlier.body).toContain('value="2023-05-11"');
  });

  it('given units on the same score, when the office opens the assessment, then they show one shared rank marked 并列', async () => {
    const s = await scenario();
    const office = await signedIn(s, 'office');
    const ranks = [...(await office.get('/assessment?asOf=2023-05-11')).body.matchAll(/<td data-label="名次">([^<]+)<\/td>/g)].map(([, rank]) => rank);
    // on 2023-05-11 nothing has scored yet: every unit is on the base score
    expect(ranks.length).toBeGreaterThan(2);
    expect(new Set(ranks)).toEqual(new Set(['1（并列）']));
  });

  it('when the office asks the circular for a period, then it gets it printable, with a CSP that allows only its own stylesheet', async () => {
    const s = await scenario();
    const office = await signedIn(s, 'office');
    const page = await office.get('/circular?from=2023-05-01&to=2023-05-14');
    expect(textOf(page.body)).toContain('关于2023年5月“放管服”改革工作推进情况的通报');
    expect(page.body).toContain('href="/circular/view?from=2023-05-01&amp;to=2023-05-14"');

    const view = await office.get('/circular/view?from=2023-05-01&to=2023-05-14');
    expect(view.status).toBe(200);
    const style = /<style>([\s\S]*?)<\/style>/.exec(view.body)![1]!;
    const csp = view.headers.get('content-security-policy')!;
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(textOf(view.body)).toContain('第7项');

    const future = await office.get('/circular?from=2023-05-01&to=2023-05-31');
    expect(future.status).toBe(422);
    expect(textOf(future.body)).toContain('截止日期须为有效日期，且不能晚于今天');
  });

  it('when the office opens the ledger page, then it offers CSV and xlsx downloads named in Chinese', async () => {
    const s = await scenario();
    const office = await signedIn(s, 'office');
    const page = await office.get('/ledger');
    expect(page.body).toContain('href="/ledger.xlsx?asOf=2023-05-15"');
    const csv = await office.get('/ledger.csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('台账-2023-05-15.csv')}`);
    expect(csv.body).toContain('已销号');
    const earlier = await office.get('/ledger.csv?asOf=2023-05-12');
    expect(earlier.body).not.toContain('已销号');
    const xlsx = await fetch(`${s.url}/ledger.xlsx`, { headers: { Cookie: `duban_session=${office.cookie('duban_session')}` } });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });
});

describe('the unit pages', () => {
  it('when a unit opens its page, then its tasks are listed by light, red first, with what it may do now', async () => {
    const s = await scenario();
    s.at('2023-06-02T09:00:00+08:00');
    await s.engine.fireDue(s.clock.now());
    const unit = await signedIn(s, 'unit', WATER);
    const page = await unit.get('/mine');
    const text = textOf(page.body);
    expect(page.body.indexOf('id="group-red"')).toBeLessThan(page.body.indexOf('id="group-green"'));
    expect(text).toContain('红灯任务（1 项）');
    expect(text).toMatch(/第51项.* 已交办 责任 完成时限：2023-05-31 已逾期 2 天/);
    expect(text).toMatch(/第7项.* 已销号 牵头/);
    expect(page.body).not.toContain(taskId(8));
  });
});

describe('who may open which page', () => {
  it.each(['/dashboard', '/queue', '/ledger', '/ledger.csv', '/audit', '/history', '/history/diff'])('when a unit opens %s, then it is refused (403 page)', async (path) => {
    server = await startTestServer();
    const unit = await signedIn(server, 'unit', WATER);
    const page = await unit.get(path);
    expect(page.status).toBe(403);
    expect(textOf(page.body)).toContain('无权访问此页面');
  });

  it.each(['/mine'])('when the office opens %s, then it is refused (403 page)', async (path) => {
    server = await startTestServer();
    const office = await signedIn(server, 'office');
    expect((await office.get(path)).status).toBe(403);
  });
});

describe('the reviewer pages', () => {
  it('when a reviewer opens the audit page, then it verifies the hash chain and shows every entry\'s inclusion proof', async () => {
    const s = await scenario();
    const reviewer = await signedIn(s, 'reviewer');
    const audit = await reviewer.get('/audit');
    const entries = await s.auditCount();
    expect(textOf(audit.body)).toContain(`哈希链 ✔ 逐条核验通过（${entries} 条）`);
    expect(textOf(audit.body)).toContain('尚未签发检查点');

    const proof = await reviewer.get(`/audit/proof?seq=3&size=${entries}`);
    expect(proof.status).toBe(200);
    expect(textOf(proof.body)).toContain(`证明有效：第 3 条记录包含在前 ${entries} 条日志中。`);
    const [third] = await s.engine.readAudit(2, 1);
    expect(proof.body).toContain(third!.hash);

    const outside = await reviewer.get(`/audit/proof?seq=${entries + 1}`);
    expect(outside.status).toBe(422);
    expect(elementById(outside.body, 'proof-seq-error')).toContain(`日志序号须在 1 到 ${entries} 之间`);
    expect(outside.body).toContain(`value="${entries + 1}"`);
  });

  it('given a reviewer and a unit reading through the pages, when the access log is read, then the reviewer\'s task, replay and assessment pages are in it, as API reads would be, and the unit\'s reads are not', async () => {
    // Given a reviewer and a unit reading through the pages
    server = await startTestServer();
    const s = server;
    const reviewer = await signedIn(s, 'reviewer');
    const unit = await signedIn(s, 'unit', WATER);
    s.clock.set('2023-05-10T09:30:00+08:00');
    await reviewer.get(`/tasks/${taskId(7)}`);
    await reviewer.get('/history?asOf=2023-05-10');
    await reviewer.get('/assessment');
    await unit.get(`/tasks/${taskId(7)}`);

    // Then the reviewer's task, replay and assessment pages are in the access log, the unit's reads are not
    const log = await s.request('/api/audit/access-log', { token: await s.token('admin') });
    const items = ((await log.json()) as { items: { role: string; path: string; status: number; at: string }[] }).items;
    expect(items.filter((i) => !i.path.startsWith('/api/')).map((i) => `${i.role} ${i.path} ${i.status} ${i.at}`)).toEqual([
      `reviewer /tasks/${taskId(7)} 200 2023-05-10T01:30:00.000Z`,
      'reviewer /history?asOf=2023-05-10 200 2023-05-10T01:30:00.000Z',
      'reviewer /assessment 200 2023-05-10T01:30:00.000Z',
    ]);
  });

  it.skipIf(onPostgres)('says so when an entry was altered behind the engine\'s back', async () => {
    dir = mkdtempSync(join(tmpdir(), 'duban-web-'));
    const file = join(dir, 'duban.db');
    const s = await scenario({ db: file });
    tamperAuditPayload(file, 75, { reason: '改过的理由' });
    const reviewer = await signedIn(s, 'reviewer');
    const page = await reviewer.get('/audit');
    expect(textOf(page.body)).toContain('审计日志核验未通过');
    expect(textOf(page.body)).toContain('✘ 自第 75 条起不一致');
  });

  it('when a reviewer opens the history as of an earlier day or moment, or a diff of two days, then the plan is replayed as it stood, and a reversed diff is refused', async () => {
    const s = await scenario();
    const reviewer = await signedIn(s, 'reviewer');
    const earlier = await reviewer.get('/history?asOf=2023-05-09');
    expect(textOf(earlier.body)).toContain('当日尚无任务');
    const moment = await reviewer.get('/history?asOf=2023-05-13&time=09:59:59');
    const row7 = textOf(moment.body.slice(moment.body.indexOf(`href="/tasks/${taskId(7)}"`)).split('</tr>')[0]!);
    expect(row7).toContain('待核验');
    const later = await reviewer.get('/history?asOf=2023-05-13&time=10:00');
    expect(textOf(later.body.slice(later.body.indexOf(`href="/tasks/${taskId(7)}"`)).split('</tr>')[0]!)).toContain('推进中');

    const diff = await reviewer.get('/history/diff?from=2023-05-12&to=2023-05-14');
    const text = textOf(diff.body);
    expect(text).toContain('2023-05-12 日终至 2023-05-14 日终：1 项任务有变化，70 项没有新的办理记录。');
    expect(text).toMatch(/7 优化水利工程项目招标投标程序.* 待核验 → 已销号 绿灯 → 绿灯 5 条/);
    expect((await reviewer.get('/history/diff?from=2023-05-14&to=2023-05-12')).status).toBe(422);
  });
});

describe('every page', () => {
  it('when any page is opened, then it carries the strict CSP, lang="zh-CN", a skip link, and neither inline script nor inline style', async () => {
    const s = await scenario();
    const office = await signedIn(s, 'office');
    const unit = await signedIn(s, 'unit', WATER);
    const pages = [
      ...(await Promise.all(['/dashboard', '/queue', `/tasks/${taskId(7)}`, '/tasks', '/assessment', '/circular?from=2023-05-01&to=2023-05-14', '/ledger', '/audit', '/audit/proof?seq=1', '/history', '/history/diff'].map((p) => office.get(p)))),
      ...(await Promise.all(['/mine', '/notifications'].map((p) => unit.get(p)))),
      await new WebClient(s.url).get('/login'),
    ];
    for (const page of pages) {
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toBe(
        "default-src 'self'; base-uri 'none'; connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; img-src 'self'; object-src 'none'; script-src 'self'; style-src 'self'",
      );
      expect(page.body).toContain('<html lang="zh-CN">');
      expect(page.body).toContain('<a class="skip-link" href="#main">跳到正文</a>');
      expect(page.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
      expect(page.body).not.toMatch(/\sstyle="|<style/);
      expect(page.body).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    }
  });

  it('when an unknown page is opened, then the Chinese 404 page answers, and /api is left to the API', async () => {
    server = await startTestServer();
    const browser = new WebClient(server.url);
    const missing = await browser.get('/no-such-page');
    expect(missing.status).toBe(404);
    expect(textOf(missing.body)).toContain('页面不存在');
    const api = await server.request('/api/tasks', { headers: { Accept: 'text/html' } });
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const office = await server.token('office');
    const unknown = await server.request('/api/no-such-route', { token: office, headers: { Accept: 'text/html' } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const json = await server.request('/no-such-page');
    expect(json.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('given a token\'s rate limit, when a viewer opens pages and calls the API, then both count against it, and the next page is refused (429 page)', async () => {
    server = await startTestServer({ rateLimit: 3 });
    const token = await server.token('office');
    const office = new WebClient(server.url);
    await office.signIn(token);
    expect((await office.get('/dashboard')).status).toBe(200);
    expect((await server.request('/api/tasks?limit=1', { token })).status).toBe(200);
    expect((await office.get('/queue')).status).toBe(200);
    const refused = await office.get('/queue');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(textOf(refused.body)).toContain('请求过于频繁，请稍后再试');
  });

  it('when a page loads its stylesheet, script and icon, then they come from this server, cached by their content hash', async () => {
    server = await startTestServer();
    const login = await new WebClient(server.url).get('/login');
    for (const [, url] of login.body.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)) {
      const response = await fetch(`${server.url}${url!.replace(/&amp;/g, '&')}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toContain('immutable');
    }
    expect([...login.body.matchAll(/\/assets\/[^"]+\?v=[0-9a-f]{12}/g)]).toHaveLength(3);
  });
});
