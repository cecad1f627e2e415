import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeCookie } from '../../src/web/session/cookies.ts';
import { startTestServer } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { textOf, WebClient } from './support/web-client.ts';

describe('signing in to the web pages', () => {
  let server: TestServer;
  let browser: WebClient;

  beforeEach(async () => {
    server = await startTestServer();
    browser = new WebClient(server.url);
  });
  afterEach(() => server.close());

  it('given a unit\'s token, when it signs in through the form, then a session opens with an HttpOnly, SameSite=Strict cookie whose id is stored only hashed', async () => {
    // Given a unit's token
    const token = await server.token('unit', '市水务局');

    // When the unit signs in through the form
    const answer = await browser.signIn(token);

    // Then it lands on its start page with a session cookie made for a browser, not for scripts
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/mine');
    const cookie = answer.headers.getSetCookie().find((c) => c.startsWith('duban_session='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Max-Age=28800/);
    expect(cookie).not.toMatch(/Secure/);
    const id = browser.cookie('duban_session')!;
    const rows = await server.engine.store.kysely.selectFrom('web_session').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash).toBe(createHash('sha256').update(id).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(id);
    expect(textOf((await browser.get('/mine')).body)).toContain('市水务局共参与');
  });

  it('given a request that came over HTTPS, when a cookie is written, then it is marked Secure', () => {
    // Given a request that arrived over TLS
    const headers: string[] = [];
    const res = { append: (_name: string, value: string) => headers.push(value) } as unknown as Response;

    // When a cookie is written
    writeCookie({ secure: true } as Request, res, 'duban_session', 'abc', { maxAgeSeconds: 60 });

    // Then it is Secure as well
    expect(headers).toEqual(['duban_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict; Secure']);
  });

  it.each([
    ['unit', '市水务局', '/mine', '我的任务'],
    ['office', undefined, '/dashboard', '全局看板'],
    ['reviewer', undefined, '/audit', '审计核验'],
    ['admin', undefined, '/dashboard', '全局看板'],
  ] as const)('when a %s signs in, then it is sent to its own start page', async (role, unit, start, title) => {
    const answer = await browser.signIn(await server.token(role, unit));
    expect(answer.location).toBe(start);
    const page = await browser.get(start);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<h1>${title}</h1>`);
    expect((await browser.get('/')).location).toBe(start);
  });

  it('given a wrong token, when it signs in, then it is refused with a Chinese message and no session opens', async () => {
    const answer = await browser.signIn('dbn_unit_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(answer.status).toBe(401);
    expect(textOf(answer.body)).toContain('令牌无效、已撤销或格式不正确');
    expect(answer.body).toContain('aria-invalid="true"');
    expect(browser.cookie('duban_session')).toBeUndefined();
  });

  it('when a sign-in is posted from another origin or without the form token, then it is refused', async () => {
    const token = await server.token('office');
    await browser.get('/login');
    const forged = await browser.post('/login', { token }, { origin: 'http://evil.example' });
    expect(forged.status).toBe(403);
    expect(browser.cookie('duban_session')).toBeUndefined();

    await browser.get('/login');
    const tokenless = await browser.post('/login', { token }, { csrf: 'not-the-token' });
    expect(tokenless.status).toBe(403);
    expect(textOf(tokenless.body)).toContain('登录页面已过期');
    expect(browser.cookie('duban_session')).toBeUndefined();
  });

  it('given a visitor without a session, when it opens a page and signs in, then it is sent to sign in first, and back to the page afterwards', async () => {
    const first = await browser.get('/dashboard?light=red');
    expect(first.status).toBe(303);
    expect(first.location).toBe('/login?next=%2Fdashboard%3Flight%3Dred');
    const answer = await browser.signIn(await server.token('office'), '/dashboard?light=red');
    expect(answer.location).toBe('/dashboard?light=red');
  });

  it('given an off-site return address, when the office signs in, then it is not sent off-site', async () => {
    const answer = await browser.signIn(await server.token('office'), '//evil.example/x');
    expect(answer.location).toBe('/dashboard');
  });

  it('given a signed-in office, when 8 hours pass, then the session ends', async () => {
    await browser.signIn(await server.token('office'));
    server.clock.advance(8 * 3_600_000 - 1);
    expect((await browser.get('/dashboard')).status).toBe(200);
    server.clock.advance(1);
    const expired = await browser.get('/dashboard');
    expect(expired.status).toBe(303);
    expect(expired.location).toMatch(/^\/login/);
  });

  it('given a signed-in office, when its token is revoked, then the session ends', async () => {
    const token = await server.token('office');
    await browser.signIn(token);
    const [record] = await server.tokens.list();
    await server.tokens.revoke(record!.id, server.clock.now());
    expect((await browser.get('/dashboard')).location).toMatch(/^\/login/);
  });

  it('given a signed-in office, when it signs out with the form post, then the old cookie opens nothing; without the form token, then nothing happens', async () => {
    // Given a signed-in office
    await browser.signIn(await server.token('office'));
    await browser.get('/dashboard');
    const id = browser.cookie('duban_session')!;

    // When it signs out without the form's token, nothing happens
    const forged = await browser.post('/logout', {}, { csrf: null });
    expect(forged.status).toBe(403);
    expect((await browser.get('/dashboard')).status).toBe(200);

    // When it signs out properly
    const out = await browser.post('/logout', {});
    expect(out.status).toBe(303);
    expect(out.location).toBe('/login');
    expect(browser.cookie('duban_session')).toBeUndefined();

    // Then the old cookie is dead
    browser.setCookie('duban_session', id);
    expect((await browser.get('/dashboard')).location).toMatch(/^\/login/);
    expect(await server.engine.store.kysely.selectFrom('web_session').selectAll().execute()).toEqual([]);
  });
});
