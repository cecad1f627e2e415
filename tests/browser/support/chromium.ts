import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

/** Where Chromium is expected; never downloaded. */
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** In CI the browser tests must run; on a developer machine without Chromium they may be skipped. */
export const chromiumMissing = !existsSync(chromiumPath);
export const mustRun = process.env['CI'] === 'true';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--lang=zh-CN'];

/** A headless Chromium with a fresh profile directory, removed on close. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (chromiumMissing) throw new Error(`Chromium not found at ${chromiumPath} (set CHROMIUM_PATH, or install it: apt-get install -y chromium fonts-noto-cjk)`);
  const profile = mkdtempSync(join(tmpdir(), 'duban-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: ARGS,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What went wrong in a page while a test drove it: console errors, page errors, failed and refused requests. */
export interface PageProblems {
  readonly problems: string[];
  /** Lets one response with this status through (a deliberate 404), matching the URL's path. */
  expect(status: number, path: string): void;
}

/** Records every console error, uncaught page error, failed HTTP request and response >= 400 not expected. */
export function watchPage(page: Page): PageProblems {
  const problems: string[] = [];
  const expected: { status: number; path: string }[] = [];
  const seen: { status: number; path: string }[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // The browser logs every 4xx response it loads; the deliberate ones are not problems.
    const location = message.location().url;
    const path = location === '' ? '' : new URL(location).pathname;
    const index = seen.findIndex((s) => s.path === path && message.text().includes(`status of ${s.status}`));
    if (index >= 0) seen.splice(index, 1);
    else problems.push(`console error: ${message.text()} (${location})`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // Chromium's own PDF viewer is an extension whose internal requests are sometimes aborted as it settles; they are the browser's, not duban's.
    if (!/^https?:/.test(request.url())) return;
    problems.push(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? '?'})`);
  });
  page.on('response', (response) => {
    if (response.status() < 400) return;
    const path = new URL(response.url()).pathname;
    const index = expected.findIndex((e) => e.status === response.status() && e.path === path);
    if (index >= 0) seen.push(...expected.splice(index, 1));
    else problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return { problems, expect: (status, path) => expected.push({ status, path }) };
}
