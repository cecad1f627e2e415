import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestServer } from '../../packages/server/test/support/test-server.ts';
import { startTestServer, taskId } from '../../packages/server/test/support/test-server.ts';

let server: TestServer | undefined;
let dir: string | undefined;
afterEach(async () => {
  await server?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  server = undefined;
  dir = undefined;
});

async function fileServer() {
  dir = mkdtempSync(join(tmpdir(), 'duban-faults-'));
  const db = join(dir, 'faults.db');
  server = await startTestServer({ db });
  const water = await server.token('unit', '市水务局');
  const start = await server.send(water, taskId(7), { type: 'START' });
  expect(start.status).toBe(200);
  return { db, server, water };
}

const progress = (summary: string) => ({ type: 'PROGRESS', summary });

describe('the database refusing writes', () => {
  it('given a full disk, then 503 problem+json with Retry-After, nothing written, and serving resumes when space returns', async () => {
    const { server: s, water } = await fileServer();
    const pages = Number((await sql<{ page_count: number }>`PRAGMA page_count`.execute(s.engine.store.kysely)).rows[0]?.page_count);
    await sql.raw(`PRAGMA max_page_count = ${pages}`).execute(s.engine.store.kysely);

    let refused: Response | undefined;
    for (let i = 0; i < 200 && refused === undefined; i++) {
      const before = { audit: await s.auditCount(), version: (await s.engine.getInstance(taskId(7)))!.version };
      const response = await s.send(water, taskId(7), progress(`${i} ${'长'.repeat(1900)}`));
      if (response.status === 503) {
        refused = response;
        // Then: the refused request changed nothing.
        expect({ audit: await s.auditCount(), version: (await s.engine.getInstance(taskId(7)))!.version }).toEqual(before);
      } else {
        expect(response.status).toBe(200);
      }
    }
    expect(refused?.status).toBe(503);
    expect(refused?.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused?.json()).toMatchObject({ status: 503, title: '服务暂时不可用' });

    await sql.raw('PRAGMA max_page_count = 1073741823').execute(s.engine.store.kysely);
    expect((await s.send(water, taskId(7), progress('空间恢复后继续报送'))).status).toBe(200);
    expect((await s.engine.verify()).ok).toBe(true);
    expect((await s.engine.replay()).differences).toEqual([]);
  });

  it('given another process holding the write lock past the busy timeout, then 503, and serving resumes after it lets go', async () => {
    const { db, server: s, water } = await fileServer();
    const other = new BetterSqlite3(db);
    other.exec('BEGIN IMMEDIATE');
    const before = await s.engine.getInstance(taskId(7));
    const response = await s.send(water, taskId(7), progress('锁被占用时报送'));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 503 });
    other.exec('ROLLBACK');
    other.close();
    expect(await s.engine.getInstance(taskId(7))).toEqual(before);
    expect((await s.send(water, taskId(7), progress('锁释放后报送'))).status).toBe(200);
  }, 30_000);
});

describe('misbehaving clients', () => {
  it('given many clients trickling their headers, then other clients are served meanwhile', async () => {
    server = await startTestServer();
    const office = await server.token('office');
    const { port } = new URL(server.url);
    const slow: Socket[] = await Promise.all(
      Array.from({ length: 50 }, () => new Promise<Socket>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write('GET /api/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
          resolve(socket);
        });
        socket.on('error', () => undefined);
      })),
    );
    const trickle = setInterval(() => slow.forEach((s) => s.write('a')), 50);
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => server!.request('/api/tasks?limit=5', { token: office })));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      // The slow ones are still waiting: they were not served first, nor did they block the others.
      expect(slow.filter((s) => !s.destroyed)).toHaveLength(50);
    } finally {
      clearInterval(trickle);
      slow.forEach((s) => s.destroy());
    }
  });

  it('given oversized headers, then 431 for that request and the server keeps serving', async () => {
    server = await startTestServer();
    const office = await server.token('office');
    const status = await new Promise<string>((resolve) => {
      const { port } = new URL(server!.url);
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(`GET /api/tasks HTTP/1.1\r\nHost: x\r\nX-Big: ${'x'.repeat(64 * 1024)}\r\n\r\n`));
      socket.once('data', (data) => {
        resolve(data.toString('latin1').split('\r\n')[0] ?? '');
        socket.destroy();
      });
      socket.on('error', () => resolve('connection reset'));
    });
    expect(status).toMatch(/^HTTP\/1\.1 431/);
    expect((await server.request('/api/tasks?limit=1', { token: office })).status).toBe(200);
  });
});
