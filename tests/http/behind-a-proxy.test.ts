import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebClient } from '../../packages/server/test/web/support/web-client.ts';
import { createToken, duban, serve } from './support/duban-process.ts';

describe('`duban serve --trust-proxy` behind a TLS-terminating reverse proxy', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'duban-e2e-proxy-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given --trust-proxy loopback, when a proxy forwards a sign-in over HTTPS, then the session cookie is Secure', async () => {
    const db = join(dir, 'proxy.db');
    const server = await serve(db, ['--trust-proxy', 'loopback']);
    try {
      expect(server.output()).toContain('duban: trusting X-Forwarded-Proto and X-Forwarded-For from loopback');
      const token = await createToken(db, 'office');
      const browser = new WebClient(server.url);
      const viaProxy = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.7' };
      await browser.get('/login', viaProxy);
      const answer = await browser.post('/login', { token }, { headers: viaProxy });
      expect(answer.status).toBe(303);
      expect(answer.headers.getSetCookie().find((c) => c.startsWith('duban_session='))).toMatch(/; Secure$/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 60_000);

  it('when --trust-proxy true is given, then the server refuses it before opening anything', async () => {
    const refused = await duban('serve', '--db', join(dir, 'never.db'), '--trust-proxy', 'true');
    expect(refused.code).toBe(2);
    expect(refused.stderr.split('\n')[0]).toMatch(/^duban: --trust-proxy true would trust every proxy: any client could then forge X-Forwarded-For/);
  });
});
