import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/test-server.ts';
import { startTestServer } from '../support/test-server.ts';
import { WebClient } from '../web/support/web-client.ts';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM) && process.env['CI'] !== 'true')('the task list on a phone (real Chromium)', () => {
  let s: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    s = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless', '--disable-gpu'] });
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('when the office opens the 71 tasks on a 375 px wide phone, then each task is a short card: the page is under 10,000 px (it was 23,757) and never scrolls sideways', async () => {
    const client = new WebClient(s.url);
    await client.signIn(await s.token('office'));
    const context = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'zh-CN' });
    await context.addCookies([{ name: 'duban_session', value: client.cookie('duban_session')!, url: s.url }]);
    const page = await context.newPage();
    await page.goto(`${s.url}/tasks`);
    expect(await page.locator('table.tasks tbody tr').count()).toBe(71);
    const { height, width } = await page.evaluate(() => ({ height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth }));
    expect(width).toBeLessThanOrEqual(375);
    expect(height).toBeLessThan(10_000);
    await context.close();
  });
});
