import { afterEach, describe, expect, it } from 'vitest';
import { TRUST_PROXY_ENV, trustProxyOption } from '../../src/cli/trust-proxy-option.ts';
import { UsageError } from '../../src/cli/usage-error.ts';
import { startTestServer } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { WebClient } from './support/web-client.ts';

/** What a TLS-terminating reverse proxy on this machine adds to every request it passes on. */
const FROM_PROXY = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '203.0.113.7' };

describe('behind a TLS-terminating reverse proxy (--trust-proxy)', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** Signs in through the form with the proxy's headers on both requests; the session cookie set. */
  async function sessionCookie(headers: Record<string, string>): Promise<string> {
    const browser = new WebClient(server!.url);
    await browser.get('/login', headers);
    const answer = await browser.post('/login', { token: await server!.token('office') }, { headers });
    expect(answer.status).toBe(303);
    return answer.headers.getSetCookie().find((c) => c.startsWith('duban_session='))!;
  }

  it('given the proxy on loopback trusted, when it forwards a sign-in made over HTTPS, then the session cookie is Secure; over plain HTTP, then it is not', async () => {
    server = await startTestServer({ trustProxy: 'loopback' });
    expect(await sessionCookie(FROM_PROXY)).toMatch(/; Secure$/);
    // A plain HTTP request through the same proxy does not.
    expect(await sessionCookie({ ...FROM_PROXY, 'X-Forwarded-Proto': 'http' })).not.toMatch(/Secure/);
  });

  it('given no --trust-proxy, when a sign-in claims X-Forwarded-Proto https, then it is not believed: no Secure cookie', async () => {
    server = await startTestServer();
    expect(await sessionCookie(FROM_PROXY)).not.toMatch(/Secure/);
  });

  it('given only the proxy at 10.0.0.5 trusted, when a client on loopback claims HTTPS, then it is not believed', async () => {
    server = await startTestServer({ trustProxy: '10.0.0.5' });
    expect(await sessionCookie(FROM_PROXY)).not.toMatch(/Secure/);
  });

  it('given two sign-in attempts a minute per address, when one client behind the trusted proxy uses up its attempts, then another client behind it still gets its own', async () => {
    // Given two sign-in attempts a minute per address
    server = await startTestServer({ trustProxy: 'loopback', rateLimit: 2 });
    const attempt = (client: string) => new WebClient(server!.url).post('/login', { token: 'dbn_unit_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, { headers: { ...FROM_PROXY, 'X-Forwarded-For': client } });
    // When one client uses up its attempts
    for (let i = 0; i < 2; i += 1) expect((await attempt('203.0.113.7')).status).toBe(403);
    expect((await attempt('203.0.113.7')).status).toBe(429);
    // Then another client behind the same proxy still gets its own
    expect((await attempt('198.51.100.9')).status).toBe(403);
  });
});

describe('trustProxyOption: --trust-proxy VALUE, else DUBAN_TRUST_PROXY', () => {
  const saved = process.env[TRUST_PROXY_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[TRUST_PROXY_ENV];
    else process.env[TRUST_PROXY_ENV] = saved;
  });

  it('takes what Express takes: a hop count, names, addresses and subnets', () => {
    delete process.env[TRUST_PROXY_ENV];
    expect(trustProxyOption(undefined)).toBeUndefined();
    expect(trustProxyOption('')).toBeUndefined();
    expect(trustProxyOption('1')).toBe(1);
    expect(trustProxyOption('0')).toBeUndefined();
    expect(trustProxyOption('loopback')).toBe('loopback');
    expect(trustProxyOption('10.0.0.5, 10.1.0.0/16,fe80::/10, uniquelocal')).toBe('10.0.0.5,10.1.0.0/16,fe80::/10,uniquelocal');
    expect(trustProxyOption('192.168.0.0/255.255.0.0')).toBe('192.168.0.0/255.255.0.0');
  });

  it('reads DUBAN_TRUST_PROXY when the option is not given; the option wins', () => {
    process.env[TRUST_PROXY_ENV] = 'loopback';
    expect(trustProxyOption(undefined)).toBe('loopback');
    expect(trustProxyOption('2')).toBe(2);
  });

  it('refuses true, explaining that clients could forge their address', () => {
    for (const value of ['true', 'TRUE']) {
      expect(() => trustProxyOption(value)).toThrow(UsageError);
      expect(() => trustProxyOption(value)).toThrow(/--trust-proxy true would trust every proxy: any client could then forge X-Forwarded-For/);
    }
    process.env[TRUST_PROXY_ENV] = 'true';
    expect(() => trustProxyOption(undefined)).toThrow(/^DUBAN_TRUST_PROXY true would trust every proxy/);
  });

  it('refuses what Express would not compile, naming it', () => {
    for (const [value, reason] of [
      ['proxy.example', /invalid IP address: proxy\.example/],
      ['10.0.0.0/33', /invalid range on address: 10\.0\.0\.0\/33/],
      ['10.0.0.5,', /invalid IP address/],
      ['101', /--trust-proxy must be an integer from 0 to 100/],
    ] as const) {
      expect(() => trustProxyOption(value), value).toThrow(UsageError);
      expect(() => trustProxyOption(value), value).toThrow(reason);
    }
  });
});
