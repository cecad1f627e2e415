import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '@duban/engine';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../src/db/server-tables.ts';
import { TOKEN_CACHE_MS, TokenStore } from '../src/auth/token-store.ts';
import type { TestServer } from './support/test-server.ts';
import { onPostgres, startTestServer } from './support/test-server.ts';

describe('API tokens', () => {
  let s: TestServer | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await s?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    s = undefined;
    dir = undefined;
  });

  // SQLite-only: it reads the database file's bytes.
  it.skipIf(onPostgres)('given tokens issued into a database file, then no raw token appears in its bytes, only its SHA-256', async () => {
    dir = mkdtempSync(join(tmpdir(), 'duban-tokens-'));
    s = await startTestServer({ db: join(dir, 'test.db') });
    const issued = [await s.token('office'), await s.token('unit', '市水务局'), await s.token('admin')];
    for (const token of issued) expect(token).toMatch(/^dbn_(office|unit|admin)_[A-Za-z0-9_-]{32}$/);
    expect((await s.request('/api/tasks?limit=1', { token: issued[0] })).status).toBe(200);
    await s.close();
    s = undefined;
    const bytes = Buffer.concat(readdirSync(dir).map((name) => readFileSync(join(dir!, name))));
    for (const token of issued) {
      expect(bytes.includes(Buffer.from(token))).toBe(false);
      // Not even the secret part alone.
      expect(bytes.includes(Buffer.from(token.slice(-24)))).toBe(false);
    }
  });

  it('given a token in use, when it is revoked (twice), then the second revoke says no and requests with it get 401', async () => {
    s = await startTestServer();
    const { token, record } = await s.tokens.create({ role: 'office' }, s.clock.now());
    expect((await s.request('/api/tasks?limit=1', { token })).status).toBe(200);
    expect(await s.tokens.revoke(record.id, s.clock.now())).toBe(true);
    expect(await s.tokens.revoke(record.id, s.clock.now())).toBe(false);
    expect((await s.request('/api/tasks?limit=1', { token })).status).toBe(401);
  });

  // SQLite-only: a second process is played by a second connection to the same file.
  it.skipIf(onPostgres)('given a token revoked by another process, then the server refuses it within TOKEN_CACHE_MS', async () => {
    dir = mkdtempSync(join(tmpdir(), 'duban-tokens-'));
    const db = join(dir, 'test.db');
    s = await startTestServer({ db });
    const { token, record } = await s.tokens.create({ role: 'office' }, s.clock.now());
    expect((await s.request('/api/tasks?limit=1', { token })).status).toBe(200);

    const store = await openStore(db);
    const elsewhere = new TokenStore(store.kysely as Kysely<ServerDatabase>);
    expect(await elsewhere.revoke(record.id, s.clock.now())).toBe(true);
    await store.close();

    await new Promise((resolve) => setTimeout(resolve, TOKEN_CACHE_MS + 100));
    expect((await s.request('/api/tasks?limit=1', { token })).status).toBe(401);
  });

  it('given a unit token, when the tokens are listed, then it is shown without its secret', async () => {
    s = await startTestServer();
    const { token } = await s.tokens.create({ role: 'unit', unit: '市水务局', label: '水务局联络员' }, s.clock.now());
    const listed = await s.tokens.list();
    expect(listed).toEqual([expect.objectContaining({ role: 'unit', unit: '市水务局', label: '水务局联络员', revokedAt: null })]);
    expect(JSON.stringify(listed)).not.toContain(token.slice(-28));
  });

  it('given a unit token whose role part was edited to office, when it is used, then 401', async () => {
    s = await startTestServer();
    const token = await s.token('unit', '市水务局');
    const forged = token.replace('dbn_unit_', 'dbn_office_');
    expect((await s.request('/api/tasks?limit=1', { token: forged })).status).toBe(401);
  });

  it('when a unit token is created without a unit, or an office token with one, then it is refused', async () => {
    s = await startTestServer();
    await expect(s.tokens.create({ role: 'unit' }, s.clock.now())).rejects.toThrow(/needs a unit/);
    await expect(s.tokens.create({ role: 'office', unit: '市水务局' }, s.clock.now())).rejects.toThrow(/acts for no unit/);
  });
});
