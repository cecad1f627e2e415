import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person known to the test's identity platform: the subject it names them by, and their claims. */
export interface ProviderPerson {
  readonly sub: string;
  readonly preferred_username?: string;
  readonly name?: string;
  /** A custom claim, as a government platform may carry the staff number in. */
  readonly staff_no?: string;
}

export interface TestProvider {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Registers the client with its callback (known once duban listens); the provider answers from then on. */
  register(redirectUri: string): void;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (`oidc-provider`) on a free loopback port, with no network beyond it: one
 * confidential client for duban's callback (PKCE required), its people, and the library's development
 * interactions (a login form taking the subject, then consent). Ephemeral signing keys and cookie keys.
 */
export async function startTestProvider(options: { people: readonly ProviderPerson[] }): Promise<TestProvider> {
  const server = createServer((_req, res) => res.writeHead(503).end('not registered yet'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'duban-test';
  const clientSecret = 'a-secret-of-the-duban-test-client-0123456789';
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const people = new Map(options.people.map((person) => [person.sub, person]));
  const providerFor = (redirectUri: string) => new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'], token_endpoint_auth_method: 'client_secret_basic' }],
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name', 'staff_no'] },
    cookies: { keys: ['duban-test-provider-cookie-key'] },
    jwks: { keys: [{ ...signingKey, kid: 'duban-test', use: 'sig', alg: 'RS256' }] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx: unknown, sub: string) {
      const person = people.get(sub);
      if (person === undefined) return undefined;
      return { accountId: sub, claims: async () => ({ ...person }) };
    },
  });
  return {
    issuer,
    clientId,
    clientSecret,
    register(redirectUri) {
      server.removeAllListeners('request');
      server.on('request', providerFor(redirectUri).callback());
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One page a browser got: where it ended, with what. */
export interface Landing {
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/**
 * A browser stand-in across sites: a cookie jar per origin (paths ignored), redirects followed by GET,
 * forms posted with the origin they came from. Enough to walk an OpenID sign-in between duban and the
 * provider with plain HTTP.
 */
export class CrossSiteBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  /** The value of a cookie this browser holds for `origin`. */
  cookie(origin: string, name: string): string | undefined {
    return this.jars.get(new URL(origin).origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string): void {
    this.jarOf(new URL(origin).origin).set(name, value);
  }

  /** GET `url`, following redirects (but not to a URL starting with `stopBefore`: that redirect is the answer). */
  get(url: string, stopBefore?: string): Promise<Landing> {
    return this.follow(url, { method: 'GET' }, stopBefore);
  }

  /** Posts a form to `url` (from a page of the same origin), following the redirects that answer it. */
  post(url: string, form: Record<string, string>, stopBefore?: string): Promise<Landing> {
    return this.follow(url, { method: 'POST', body: new URLSearchParams(form), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: new URL(url).origin } }, stopBefore);
  }

  /** GET `url` without following a redirect. */
  async peek(url: string): Promise<Landing> {
    return this.once(url, { method: 'GET' });
  }

  private jarOf(origin: string): Map<string, string> {
    let jar = this.jars.get(origin);
    if (jar === undefined) this.jars.set(origin, (jar = new Map()));
    return jar;
  }

  private async once(url: string, init: RequestInit): Promise<Landing> {
    const { origin } = new URL(url);
    const jar = this.jarOf(origin);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const headers = { Accept: 'text/html', ...(cookie === '' ? {} : { Cookie: cookie }), ...(init.headers as Record<string, string> | undefined) };
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq).trim(), pair.slice(eq + 1).trim()];
      if (/Max-Age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    return { url, status: response.status, headers: response.headers, body: await response.text() };
  }

  private async follow(url: string, init: RequestInit, stopBefore?: string): Promise<Landing> {
    let landing = await this.once(url, init);
    for (let hops = 0; landing.status >= 300 && landing.status < 400; hops += 1) {
      if (hops > 20) throw new Error(`too many redirects from ${url}`);
      const location = landing.headers.get('location');
      if (location === null) break;
      const next = new URL(location, landing.url).href;
      if (stopBefore !== undefined && next.startsWith(stopBefore)) break;
      landing = await this.once(next, { method: 'GET' });
    }
    return landing;
  }
}
