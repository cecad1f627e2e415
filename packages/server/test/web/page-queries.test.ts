import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, taskId } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { elementById, textOf, WebClient } from './support/web-client.ts';

const WATER = '市水务局';
const DRC = '市发改委';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Task 1 (市发改委) reported on 2023-05-12, task 7 (市水务局) started; today is 2023-05-15. */
async function scenario(): Promise<{ s: TestServer; office: WebClient }> {
  server = await startTestServer();
  const s = server;
  const [water, drc] = [await s.token('unit', WATER), await s.token('unit', DRC)];
  s.clock.set('2023-05-11T10:00:00+08:00');
  await s.send(water, taskId(7), { type: 'START' });
  s.clock.set('2023-05-12T10:00:00+08:00');
  await s.send(drc, taskId(1), { type: 'START' });
  await s.send(drc, taskId(1), { type: 'REPORT', summary: '清单已落实', evidence: [{ title: '负面清单' }] });
  s.clock.set('2023-05-15T09:00:00+08:00');
  const office = new WebClient(s.url);
  await office.signIn(await s.token('office'));
  return { s, office };
}

const unescape = (href: string) => href.replace(/&amp;/g, '&');

/** The number of tasks a task list page lists. */
async function listed(browser: WebClient, href: string): Promise<number> {
  const page = await browser.get(unescape(href));
  expect(page.status, href).toBe(200);
  const caption = /<caption>任务（(?:共 )?(\d+) 项/.exec(page.body);
  return caption === null ? (page.body.includes('没有符合条件的任务') ? 0 : Number.NaN) : Number(caption[1]);
}

describe('the dashboard\'s figures and the lists they count', () => {
  it('given task 1 reported by 市发改委, when the office filters the dashboard by 市水务局 or looks at 2023-05-11, then the 待核验 card says 0 as the chart does', async () => {
    const { office } = await scenario();
    const mine = await office.get(`/dashboard?unit=${encodeURIComponent(WATER)}`);
    expect(textOf(mine.body)).toContain('0 待核验');
    expect(elementById(mine.body, 'chart-state-d')).toContain('待核验0项');
    const before = await office.get('/dashboard?asOf=2023-05-11');
    expect(textOf(before.body)).toContain('0 待核验');
    const now = await office.get('/dashboard');
    expect(textOf(now.body)).toContain('1 待核验');
  });

  it('given a filtered dashboard as of a past day, when the office follows each card and bar, then it reaches the task list with the same filter, day and criterion, listing as many tasks as the figure says', async () => {
    const { office } = await scenario();
    const page = await office.get(`/dashboard?asOf=2023-05-12&unit=${encodeURIComponent(DRC)}`);
    const cards = [...page.body.matchAll(/<a class="stat stat-link[^"]*" href="([^"]+)"><span class="stat-value">([^<]+)<\/span><span class="stat-label">([^<]+)</g)];
    expect(cards.map((c) => c[3])).toEqual(['任务总数', '完成率', '逾期', '红灯', '黄灯', '绿灯', '待核验']);
    const waiting = cards.find((c) => c[3] === '待核验')!;
    expect(unescape(waiting[1]!)).toBe(`/tasks?asOf=2023-05-12&unit=${encodeURIComponent(DRC)}&state=reported`);
    for (const [, href, value, label] of cards) {
      if (label === '完成率') continue;
      expect(await listed(office, href!), label).toBe(Number(value));
    }
    // The parts' lights (各单位承担部分红黄绿灯) count parts, not tasks: their bars open the unit's whole list and are left out here.
    const bars = [...page.body.split('chart-part-lights')[0]!.matchAll(/<a class="chart-link" href="([^"]+)" aria-label="([^"]+?)(\d+)项，查看任务">/g)];
    // The state and light charts follow the filter; the pictures (trend, units' lights) are of the whole plan, each week as of its last day.
    expect(bars.filter(([, href]) => unescape(href!).includes(`asOf=2023-05-12&unit=${encodeURIComponent(DRC)}`)).length).toBe(12);
    expect(bars.length).toBeGreaterThan(12);
    for (const [, href, label, value] of bars) {
      expect(unescape(href!)).toMatch(/asOf=2023-0[1-5]-\d\d/);
      expect(await listed(office, href!), label).toBe(Number(value));
    }
  });
});

describe('bad values in a page\'s query', () => {
  it('when the office lists tasks with light=purple, then the list comes back 422 with the Chinese message beside 红黄绿灯 and the other filters kept', async () => {
    const { office } = await scenario();
    const page = await office.get(`/tasks?light=purple&state=reported`);
    expect(page.status).toBe(422);
    expect(elementById(page.body, 'filter-light-error')).toContain('请从列表中选择红黄绿灯');
    expect(page.body).toMatch(/id="filter-light"[^>]*aria-invalid="true"/);
    expect(page.body).toMatch(/<option value="reported" selected>/);
    expect(textOf(page.body)).not.toMatch(/Invalid|expected one of/);
  });

  it('when the office asks the circular or a reviewer the diff with the dates swapped, then the page comes back 422 with both dates as typed and the message beside the earlier date', async () => {
    const { s, office } = await scenario();
    const circular = await office.get('/circular?from=2023-05-14&to=2023-05-01');
    expect(circular.status).toBe(422);
    expect(elementById(circular.body, 'from-error')).toContain('起始日期须为有效日期，且不能晚于截止日期');
    expect(circular.body).toMatch(/id="from" name="from"[^>]*value="2023-05-14"/);
    expect(circular.body).toMatch(/id="to" name="to"[^>]*value="2023-05-01"/);
    const reviewer = new WebClient(s.url);
    await reviewer.signIn(await s.token('reviewer'));
    const diff = await reviewer.get('/history/diff?from=2023-05-14&to=2023-05-12');
    expect(diff.status).toBe(422);
    expect(elementById(diff.body, 'diff-from-error')).toContain('较早日期不能晚于较晚日期');
    expect(diff.body).toMatch(/id="diff-to" name="to"[^>]*value="2023-05-12"/);
    expect(textOf(diff.body)).not.toContain('from');
  });

  it('when every filterable page is opened with bad values, then each answers in Chinese, beside the field, and no English phrase of zod reaches the page', async () => {
    const { s, office } = await scenario();
    const reviewer = new WebClient(s.url);
    await reviewer.signIn(await s.token('reviewer'));
    const bad = ['purple', '2023-02-30', '2099-01-01', 'x', '', '0', '-1', '9'.repeat(300)];
    const pages: [WebClient, string, string[]][] = [
      [office, '/dashboard', ['asOf', 'state', 'light', 'unit', 'part', 'overdue', 'done']],
      [office, '/tasks', ['asOf', 'state', 'light', 'unit', 'part', 'overdue', 'done', 'page']],
      [office, '/assessment', ['asOf']],
      [office, '/ledger', ['asOf']],
      [office, '/circular', ['from', 'to']],
      [reviewer, '/history', ['asOf', 'time']],
      [reviewer, '/history/diff', ['from', 'to']],
      [reviewer, '/audit/proof', ['seq', 'size']],
      [office, `/tasks/${taskId(7)}`, ['done']],
    ];
    let refused = 0;
    for (const [browser, path, fields] of pages) {
      for (const field of fields) {
        for (const value of [...bad, ['a', 'b']]) {
          const query = new URLSearchParams();
          for (const v of Array.isArray(value) ? value : [value]) query.append(field, v);
          const page = await browser.get(`${path}?${query}`);
          const where = `${path}?${query.toString().slice(0, 60)}`;
          expect([200, 404, 422], where).toContain(page.status);
          const text = textOf(page.body);
          // Two English words in a row is zod talking (Invalid option, expected string, Too big…).
          expect(text, where).not.toMatch(/[A-Za-z]{2,}[ ,:]+[A-Za-z]{2,}/);
          expect(text, where).not.toMatch(/Invalid|expected|received|Too (big|small)/);
          if (page.status === 422) {
            refused += 1;
            // Beside the field of the page's form; a parameter no one types (the pager's page, the task page's done) in the banner.
            expect(page.body, where).toContain(field === 'page' || field === 'done' ? 'role="alert"' : 'class="field-error"');
          }
        }
      }
    }
    expect(refused).toBeGreaterThan(40);
    // a parameter no form has is still refused, named in Chinese
    const unknown = await office.get('/dashboard?colour=red');
    expect(unknown.status).toBe(422);
    expect(textOf(unknown.body)).toContain('参数“colour”');
  });
});
