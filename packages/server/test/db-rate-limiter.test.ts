import { openStore } from '@duban/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { DbRateLimiter } from '../src/rate-limit/db-rate-limiter.ts';
import { migrateServerSchema } from '../src/db/server-migrations.ts';
import { reopenableDatabase } from './support/test-server.ts';

const at = (iso: string) => new Date(iso);

describe('DbRateLimiter (the limit several servers share through the database)', () => {
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  /** Given two servers' connections to one database (two pools, or two SQLite connections to one file), each with a limiter. */
  async function twoServers(limit: number): Promise<[DbRateLimiter, DbRateLimiter]> {
    const location = await reopenableDatabase();
    const first = await openStore(location);
    await migrateServerSchema(first.kysely, first.dialect);
    const second = await openStore(location);
    closing.push(() => first.close(), () => second.close());
    return [new DbRateLimiter(first.kysely, limit), new DbRateLimiter(second.kysely, limit)];
  }

  it('given two servers, when hits are split across them at one instant, then exactly `limit` are allowed in all, and another token counts on its own', async () => {
    const [a, b] = await twoServers(20);
    const decisions = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).hit('token:1', at('2023-05-10T09:00:10Z'))));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(20);
    expect(decisions.filter((d) => d.allowed).map((d) => (d.allowed ? d.remaining : -1)).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    // 50 s are left of the window that began at 09:00:00.
    expect(decisions.find((d) => !d.allowed)).toEqual({ allowed: false, limit: 20, retryAfterSeconds: 50 });
    // Another token has a count of its own.
    expect(await a.hit('token:2', at('2023-05-10T09:00:11Z'))).toEqual({ allowed: true, limit: 20, remaining: 19 });
  });

  it('when the window turns, then the count starts again on either server', async () => {
    const [a, b] = await twoServers(2);
    await a.hit('token:1', at('2023-05-10T09:00:58Z'));
    await b.hit('token:1', at('2023-05-10T09:00:59Z'));
    expect((await a.hit('token:1', at('2023-05-10T09:00:59.999Z'))).allowed).toBe(false);
    expect(await b.hit('token:1', at('2023-05-10T09:01:00Z'))).toEqual({ allowed: true, limit: 2, remaining: 1 });
  });

  it('given a server whose clock is a little behind, when it hits after the other has moved to the newer window, then its hit counts there rather than resetting it', async () => {
    const [ahead, behind] = await twoServers(2);
    await ahead.hit('token:1', at('2023-05-10T09:01:00Z'));
    await ahead.hit('token:1', at('2023-05-10T09:01:01Z'));
    expect((await behind.hit('token:1', at('2023-05-10T09:00:59Z'))).allowed).toBe(false);
    expect((await ahead.hit('token:1', at('2023-05-10T09:01:02Z'))).allowed).toBe(false);
  });

  it('when a limiter is made with a limit below one, then it is refused', async () => {
    const store = await openStore(await reopenableDatabase());
    closing.push(() => store.close());
    expect(() => new DbRateLimiter(store.kysely, 0)).toThrow(/limit must be an integer >= 1/);
  });
});
