import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { startTestProvider } from '../support/oidc-test-provider.ts';
import type { TestProvider } from '../support/oidc-test-provider.ts';

const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const chromiumMissing = !existsSync(chromiumPath);
if (chromiumMissing && process.env['CI'] !== 'true') console.warn(`single sign-on browser test skipped: no Chromium at ${chromiumPath}`);

/**
 * Single sign-on in a real Chromium, with duban and the provider on different sites (duban as
 * `localhost`, the provider as `127.0.0.1`): the sign-in's Lax cookie must come back with the
 * provider's cross-site redirect, and the Strict session cookie must be sent once the landing page
 * moves on by itself. A redirect straight to the start page would arrive signed out.
 */
describe.skipIf(chromiumMissing && process.env['CI'] !== 'true')('single sign-on in a real browser, across sites', () => {
  let provider: TestProvider;
  let server: TestServer;
  let context: BrowserContext;
  let profile: string;
  let duban: string;

  beforeAll(async () => {
    provider = await startTestProvider({ people: [{ sub: 'sub-wangli', preferred_username: 'wangli', name: '王力' }] });
    server = await startTestServer({ sso: { issuer: new URL(provider.issuer), clientId: provider.clientId, clientSecret: provider.clientSecret, claim: 'preferred_username' } });
    duban = server.url.replace('127.0.0.1', 'localhost');
    provider.register(`${duban}/login/sso/callback`);
    await server.duban.accounts.create({ login: 'wangli', displayName: '王力', role: 'unit-staff', unit: '市水务局' }, server.clock.now());
    profile = mkdtempSync(join(tmpdir(), 'duban-sso-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--lang=zh-CN'],
      locale: 'zh-CN',
    });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
    await server?.close();
    await provider?.close();
  });

  it('given the sign-in page, when a person clicks 使用统一身份认证登录 and signs in at the provider, then the browser lands on their tasks, signed in', async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${duban}/login`);
    await page.getByText('使用统一身份认证登录').click();
    await page.waitForURL(/127\.0\.0\.1:\d+\/interaction\//);
    await page.locator('input[name="login"]').fill('sub-wangli');
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/127\.0\.0\.1:\d+\/interaction\//);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${duban}/mine`, { timeout: 20_000 });
    expect(await page.locator('main h1').innerText()).not.toBe('登录');
    expect(await page.locator('.who').innerText()).toContain('市水务局 王力');
  }, 60_000);
});
