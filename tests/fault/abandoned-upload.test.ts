import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, importPlan, loadPlanFile, openDuban, runServer } from '../../packages/server/src/index.ts';
import { samplePlanJson, serve, taskId } from '../http/support/duban-process.ts';

const LEAD = '市政务服务和公共资源交易中心';
const CHUNK = 512 * 1024;
const pdf = (size: number) => Buffer.concat([Buffer.from('%PDF-1.4\n%duban\n'), randomBytes(size - 16)]);

describe('kill -9 in the middle of an upload', () => {
  let dir: string;
  let db: string;
  let token: string;

  beforeAll(async () => {
    // Given: the Karamay plan, task 2 started by its lead unit, a token for that unit.
    dir = mkdtempSync(join(tmpdir(), 'duban-abandoned-'));
    db = join(dir, 'abandoned.db');
    const duban = await openDuban(db, { create: true });
    const { plan, planId } = await loadPlanFile(samplePlanJson);
    await importPlan(duban.engine, plan, planId, new Date('2023-05-10T01:00:00Z'), { units: duban.units });
    token = (await duban.tokens.create({ role: 'unit', unit: LEAD }, new Date('2023-05-10T01:00:00Z'))).token;
    await duban.engine.send(taskId(2), { type: 'START' }, { role: 'unit', unit: LEAD }, new Date('2023-05-11T01:00:00Z'));
    await duban.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('given a server killed while an upload streams in, when a server starts on the database past the safe age (in process), then exactly the upload\'s chunks are gone, the log verifies and the kept file reads back byte for byte', async () => {
    const counts = () => {
      const raw = new BetterSqlite3(db, { readonly: true });
      try {
        const n = (table: string) => (raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
        return { chunks: n('file_chunk'), incoming: n('file_incoming'), contents: n('file_content') };
      } finally {
        raw.close();
      }
    };
    const first = await serve(db, ['--rate-limit', '0', '--clock', '2023-05-12T09:00:00+08:00', '--timer-interval', '86400']);
    const keptBytes = pdf(2 * CHUNK + 777);
    let keptSha = '';
    try {
      // A file kept and named by an entry...
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(keptBytes)]), '方案.pdf');
      const uploaded = await fetch(`${first.url}/api/files`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
      expect(uploaded.status).toBe(201);
      const { files } = (await uploaded.json()) as { files: { id: string; sha256: string }[] };
      keptSha = files[0]!.sha256;
      const sent = await fetch(`${first.url}/api/tasks/${taskId(2)}/events`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'PROGRESS', summary: '佐证', attachments: [{ file: files[0]!.id }] }) });
      expect(sent.status).toBe(200);
      const before = counts();

      // ...then another upload, killed with SIGKILL once three of its chunks are in the database.
      const boundary = 'duban-kill';
      const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="未完.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
      const req = httpRequest(`${first.url}/api/files`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(head.length + 8 * CHUNK) } });
      req.on('error', () => undefined);
      req.write(Buffer.concat([head, pdf(3 * CHUNK + 100)]));
      for (let tries = 0; counts().chunks < before.chunks + 3; tries++) {
        expect(tries).toBeLessThan(1000);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      first.child.kill('SIGKILL');
      await first.stop();
      const left = counts();
      expect(left).toEqual({ chunks: before.chunks + 3, incoming: 1, contents: before.contents });

      // When: a server starts on the database two hours later (its clock), it sweeps at start.
      const lines: string[] = [];
      const second = await runServer({ db, port: 0, host: '127.0.0.1', clock: { now: () => new Date('2023-05-12T03:00:00Z') }, logger: createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } }), rateLimit: 0, timerIntervalMs: 86_400_000 });
      try {
        for (let tries = 0; counts().incoming > 0; tries++) {
          expect(tries).toBeLessThan(1000);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        // Then: `audit verify` passes, the kept file checked among the log's files.
        const reviewer = (await second.tokens.create({ role: 'reviewer', unit: null }, new Date('2023-05-12T03:00:00Z'))).token;
        const verified = await fetch(`${second.url}/api/audit/verify`, { headers: { Authorization: `Bearer ${reviewer}` } });
        expect(await verified.json()).toMatchObject({ ok: true, files: { checked: 1, broken: [] } });
      } finally {
        await second.close();
      }
      expect(lines.filter((line) => line.includes('abandoned uploads: removed the chunks')).map((line) => JSON.parse(line) as Record<string, unknown>)).toMatchObject([{ chunks: 3, bytes: 3 * CHUNK }]);
      expect(counts()).toEqual({ chunks: before.chunks, incoming: 0, contents: before.contents });
    } finally {
      if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
    }

    // And the kept file is the bytes sent, and no chunk is left that no kept file names.
    const duban = await openDuban(db, { create: false });
    try {
      const read: Buffer[] = [];
      for await (const piece of duban.files.bytes(keptSha)) read.push(piece);
      expect(Buffer.concat(read).equals(keptBytes)).toBe(true);
    } finally {
      await duban.close();
    }
    const raw = new BetterSqlite3(db, { readonly: true });
    try {
      expect(raw.prepare('SELECT count(*) AS n FROM file_chunk WHERE content_key NOT IN (SELECT chunks_key FROM file_content)').get()).toEqual({ n: 0 });
    } finally {
      raw.close();
    }
  }, 60_000);
});
