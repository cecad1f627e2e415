import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, samplePlanJson, repoRoot, serve, taskId } from '../http/support/duban-process.ts';
import type { ServeProcess } from '../http/support/duban-process.ts';
import { chromiumMissing, chromiumPath, launchChromium, mustRun, watchPage } from './support/chromium.ts';
import type { PageProblems } from './support/chromium.ts';

const screenshots = join(repoRoot, 'test-output', 'screenshots');
const WATER = '市水务局';
/** Task 7: led by 市水务局 alone, due 2023-05-31. */
const OWN_TASK = taskId(7);
/** Task 8: 市林草局 and 市自然资源局 lead, the district governments support; 市水务局 is no party. */
const OTHER_TASK = taskId(8);

if (chromiumMissing && !mustRun) {
  console.warn(`browser tests skipped: no Chromium at ${chromiumPath} (set CHROMIUM_PATH or apt-get install -y chromium fonts-noto-cjk)`);
}

describe.skipIf(chromiumMissing && !mustRun)('the web pages in a real browser', () => {
  let dir: string;
  let server: ServeProcess;
  let tokens: { unit: string; office: string; reviewer: string };
  let launching: ReturnType<typeof launchChromium> | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;
  let watch: PageProblems;

  beforeAll(async () => {
    if (chromiumMissing) throw new Error(`CI needs Chromium at ${chromiumPath} for the browser tests (apt-get install -y chromium fonts-noto-cjk, or set CHROMIUM_PATH)`);
    dir = mkdtempSync(join(tmpdir(), 'duban-browser-'));
    mkdirSync(screenshots, { recursive: true });
    const db = join(dir, 'duban.db');
    server = await serve(db, ['--plan', samplePlanJson, '--clock', '2023-05-15T09:00:00+08:00']);
    // The browser starts while the tokens are issued.
    launching = launchChromium();
    const [unit, office, reviewer] = await Promise.all([createToken(db, 'unit', WATER), createToken(db, 'office'), createToken(db, 'reviewer')]);
    tokens = { unit: unit!, office: office!, reviewer: reviewer! };
    browser = await launching;
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    watch = watchPage(page);
  }, 90_000);

  afterAll(async () => {
    await (browser ?? (await launching?.catch(() => undefined)))?.close();
    await server?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const shot = (name: string) => page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  const go = (path: string) => page.goto(`${server.url}${path}`);
  const heading = () => page.locator('main h1').innerText();
  const textOf = async (selector: string) => (await page.locator(selector).first().textContent()) ?? '';

  async function signIn(token: string): Promise<void> {
    await go('/login');
    // People sign in with an account; the token form is folded away under its own summary.
    await page.getByText('使用访问令牌登录（供程序或临时使用）').click();
    await page.getByLabel('访问令牌').fill(token);
    await follow(page.locator('details', { has: page.getByLabel('访问令牌') }).getByRole('button', { name: '登录' }), (url) => url.pathname !== '/login');
  }

  /** Clicks a link or button and waits for the page it leads to. */
  async function follow(target: Locator, path: string | ((url: URL) => boolean)): Promise<void> {
    await Promise.all([page.waitForURL(typeof path === 'string' ? (url) => url.pathname === path : path), target.click()]);
  }

  async function signOut(): Promise<void> {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL('**/login');
  }

  /** Opens an event's form on the task page, fills it and submits it; waits for the page after the redirect. */
  async function send(event: string, fields: Record<string, string> = {}, checks: string[] = []): Promise<void> {
    await page.locator(`#form-${event} > summary`).click();
    for (const [id, value] of Object.entries(fields)) await page.locator(`#${id}`).fill(value);
    for (const id of checks) await page.locator(`#${id}`).check();
    await Promise.all([page.waitForURL(/\?done=/), page.locator(`#form-${event} button[type=submit]`).click()]);
    expect(await textOf('.notice-success')).toContain('已提交');
  }

  /** On a 375 px wide phone the page scrolls only down, never sideways. */
  async function noHorizontalScrollOnAPhone(name: string, options: { shot?: boolean } = {}): Promise<void> {
    await page.setViewportSize({ width: 375, height: 812 });
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, view: window.innerWidth }));
    if (options.shot ?? true) await shot(`${name}-phone`);
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(widths.scroll, `${name} scrolls sideways at 375 px`).toBeLessThanOrEqual(widths.view);
  }

  it('given the pages in Chromium, when a unit and the office carry a task from start to close-out, then a reviewer can check the log', async () => {
    // Given a unit signed in with its token, on its start page.
    await signIn(tokens.unit);
    expect(await heading()).toBe('我的任务');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('跳到正文');
    await shot('01-unit-my-tasks');
    await noHorizontalScrollOnAPhone('01-unit-my-tasks');

    // When it starts task 7 and reports it with evidence.
    await follow(page.getByRole('link', { name: /^第7项/ }), `/tasks/${OWN_TASK}`);
    expect(await heading()).toBe('第7项任务');
    await shot('02-unit-task-assigned');
    await send('START', { 'f-START-note': '已签收，由建设管理科牵头办理' });
    await send('REPORT', {
      'f-REPORT-summary': '已修订水利工程招标投标程序，实施细则已印发',
      'f-REPORT-evidence-0-title': '关于优化水利工程招标投标程序的通知',
      'f-REPORT-evidence-0-ref': '克水发〔2023〕12号',
    });
    expect(await textOf('.task-summary')).toContain('待核验');
    await shot('03-unit-task-reported');
    await noHorizontalScrollOnAPhone('03-unit-task-reported');

    // Then another unit's task is a clear 404, the same as a task that does not exist.
    watch.expect(404, `/tasks/${OTHER_TASK}`);
    const refused = await go(`/tasks/${OTHER_TASK}`);
    expect(refused?.status()).toBe(404);
    expect(await heading()).toBe('页面不存在');
    await shot('04-unit-other-task-404');
    await go('/mine');
    await signOut();

    // When the office finds it in the verification queue and rejects it with a reason.
    await signIn(tokens.office);
    expect(await heading()).toBe('全局看板');
    // Every card links to the list it counts; the one of reports waiting for the office among them.
    expect(await page.locator('.stat-link', { hasText: '待核验' }).count()).toBe(1);
    await shot('05-office-dashboard');
    await noHorizontalScrollOnAPhone('05-office-dashboard');
    await follow(page.getByRole('link', { name: '待核验', exact: true }), '/queue');
    expect(await textOf('main table')).toContain('优化水利工程项目招标投标程序');
    await shot('06-office-queue');
    await noHorizontalScrollOnAPhone('06-office-queue', { shot: false });
    await follow(page.getByRole('link', { name: /^核验\s*第7项/ }), `/tasks/${OWN_TASK}`);
    expect(await heading()).toBe('第7项任务');
    await send('REJECT', { 'f-REJECT-reason': '佐证材料缺少印发文件扫描件，请补充后重新报送' }, ['f-REJECT-failed-requirementsMet']);
    expect(await textOf('.task-summary')).toContain('推进中');
    const rejectedAt = (await page.locator('.timeline > li', { hasText: '退回理由' }).locator('time').getAttribute('datetime')) ?? '';
    await shot('07-office-rejected');
    await signOut();

    // And the unit, told of it, reworks the task and reports again.
    await signIn(tokens.unit);
    await follow(page.getByRole('link', { name: '我的通知' }), '/notifications');
    expect(await textOf('.notices')).toContain('佐证材料缺少印发文件扫描件');
    await shot('08-unit-notifications');
    await noHorizontalScrollOnAPhone('08-unit-notifications', { shot: false });
    await go(`/tasks/${OWN_TASK}`);
    await send('PROGRESS', { 'f-PROGRESS-summary': '已补充印发文件扫描件', 'f-PROGRESS-percent': '90' });
    await send('REPORT', {
      'f-REPORT-summary': '实施细则已印发并补充扫描件',
      'f-REPORT-evidence-0-title': '关于优化水利工程招标投标程序的通知（扫描件）',
      'f-REPORT-evidence-1-title': '培训签到表',
    });
    await signOut();

    // When the office verifies and closes it, commending the unit.
    await signIn(tokens.office);
    await go('/queue');
    await follow(page.getByRole('link', { name: /^核验\s*第7项/ }), `/tasks/${OWN_TASK}`);
    // 四个是否: each judgement answered 是.
    await send('VERIFY', { 'f-VERIFY-opinion': '材料齐全，同意通过' }, ['policyUnderstood', 'requirementsMet', 'difficultiesResolved', 'effectSignificant'].map((check) => `f-VERIFY-checks-${check}-true`));
    await send('CLOSE', { 'f-CLOSE-note': '按期完成' }, ['f-CLOSE-commend']);
    expect(await textOf('.task-summary')).toContain('已销号');
    expect(await textOf('svg.state-diagram .state.current')).toContain('已销号');
    await shot('09-office-closed');
    await noHorizontalScrollOnAPhone('09-office-closed');
    await follow(page.getByRole('link', { name: '考核' }), '/assessment');
    expect(await textOf('main table')).toContain(WATER);
    await shot('10-office-assessment');
    await noHorizontalScrollOnAPhone('10-office-assessment', { shot: false });
    await go('/circular?from=2023-05-01&to=2023-05-15');
    await shot('11-office-circular');
    await follow(page.getByRole('link', { name: /查看通报全文/ }), '/circular/view');
    expect(await textOf('h1')).toContain('通报');
    await shot('12-office-circular-print');
    await go('/ledger');
    const csv = await page.request.get(`${server.url}/ledger.csv`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('已销号');
    const xlsx = await page.request.get(`${server.url}/ledger.xlsx`);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
    await shot('13-office-ledger');
    await signOut();

    // Then a reviewer verifies the log and opens the plan as of an earlier date.
    await signIn(tokens.reviewer);
    expect(await heading()).toBe('审计核验');
    expect(await textOf('main')).toContain('逐条核验通过');
    await shot('14-reviewer-audit');
    await noHorizontalScrollOnAPhone('14-reviewer-audit');
    await page.getByLabel('日志序号').fill('1');
    await follow(page.getByRole('button', { name: '生成包含证明' }), '/audit/proof');
    expect(await textOf('.notice-success')).toContain('证明有效');
    await shot('15-reviewer-proof');
    await go('/history?asOf=2023-05-14');
    expect(await textOf('main')).toContain('当日尚无任务');
    // A second before the rejection, replayed from the log, task 7 was still waiting for verification.
    const beforeRejection = new Date(Date.parse(rejectedAt) - 1000 + 8 * 3_600_000).toISOString().slice(11, 19);
    await go(`/history?asOf=2023-05-15&time=${beforeRejection}`);
    expect(await textOf('main table tr:has-text("优化水利工程项目招标投标程序")')).toContain('待核验');
    await shot('16-reviewer-history-earlier');
    await go('/history/diff?from=2023-05-14&to=2023-05-15');
    expect(await textOf('main table')).toContain('已销号');
    await shot('17-reviewer-diff');
    await noHorizontalScrollOnAPhone('17-reviewer-diff', { shot: false });

    // And nothing went wrong in the browser along the way.
    expect(watch.problems).toEqual([]);
  }, 120_000);
});
