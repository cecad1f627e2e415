import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';
import { tamperFile } from '../support/tamper.ts';
import type { TestServer } from '../support/test-server.ts';
import { startTestServer, taskId } from '../support/test-server.ts';
import { WebClient, textOf } from '../web/support/web-client.ts';
import { pdfBytes, pngBytes } from './support.ts';

const LEAD = '市政务服务和公共资源交易中心';

interface Sent {
  entry: { seq: number; payload: { attachments: { sha256: string; name: string }[] } };
}

/**
 * Given a SQLite database where the lead unit attached a PDF and a photo to a PROGRESS and the same
 * PDF again to a COMMENT (one stored content, two entries), each case tampers a copy of it (or of
 * its export) through the one tamper helper and verifies.
 */
describe('evidence files in the tamper-evident log: audit verify reads every recorded file back', () => {
  let work: string;
  let db: string;
  let exported: string;
  let progressSeq: number;
  let commentSeq: number;
  let pdf: { sha256: string; name: string };
  let png: { sha256: string; name: string };
  let cases = 0;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'duban-file-tamper-'));
    db = join(work, 'served', 'duban.db');
    const s = await startTestServer({ db });
    try {
      const lead = await s.token('unit', LEAD);
      expect((await s.send(lead, taskId(2), { type: 'START' })).status).toBe(200);
      const form = new FormData();
      // Over one chunk (512 KiB), so truncating the last chunk leaves a first one intact.
      form.append('file', new Blob([new Uint8Array(Buffer.concat([pdfBytes('方案'), Buffer.alloc(600 * 1024, 0x20)]))]), '实施方案.pdf');
      form.append('file', new Blob([new Uint8Array(pngBytes())]), '现场照片.png');
      const uploaded = (await (await s.request(`/api/tasks/${taskId(2)}/attachments`, { method: 'POST', token: lead, body: form })).json()) as { files: { sha256: string }[] };
      const progress = (await (await s.send(lead, taskId(2), { type: 'PROGRESS', summary: '方案已定稿', attachments: uploaded.files.map((f) => f.sha256) })).json()) as Sent;
      progressSeq = progress.entry.seq;
      [pdf, png] = progress.entry.payload.attachments as [{ sha256: string; name: string }, { sha256: string; name: string }];
      const comment = (await (await s.send(lead, taskId(2), { type: 'COMMENT', text: '再附方案一份', attachments: [pdf.sha256] })).json()) as Sent;
      commentSeq = comment.entry.seq;
    } finally {
      await s.close();
    }
    exported = join(work, 'export');
    const result = await runCli('audit', 'export', '--db', db, '--out', exported);
    expect(result.code, result.out + result.err).toBe(0);
  }, 60_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const copyOfDb = () => {
    const copy = join(work, `copy-${++cases}`, 'duban.db');
    cpSync(db, copy);
    return copy;
  };
  const copyOfExport = () => {
    const dir = join(work, `export-${++cases}`);
    cpSync(exported, dir, { recursive: true });
    return dir;
  };
  const brokenLine = (seq: number, file: { sha256: string; name: string }) => `file BROKEN at seq ${seq}: file "${file.name}" (sha256 ${file.sha256})`;

  it('given the files as uploaded, when the database and its export are verified, then both are intact and the export holds each file under its sha256', async () => {
    const fromDb = await runCli('audit', 'verify', '--db', db);
    expect(fromDb.code, fromDb.out).toBe(0);
    expect(fromDb.out).toContain('files intact: 2 evidence file(s)');
    expect(readFileSync(join(exported, 'files', png.sha256))).toEqual(pngBytes());
    expect(existsSync(join(exported, 'files', pdf.sha256))).toBe(true);
    const fromExport = await runCli('audit', 'verify', '--log', exported);
    expect(fromExport.code, fromExport.out).toBe(0);
    expect(fromExport.out).toContain('files intact: 2 evidence file(s)');
  });

  it.each([
    ['replaced', 'replace', 'was replaced or truncated'],
    ['truncated', 'truncate', 'was replaced or truncated'],
    ['deleted', 'delete', 'is missing'],
  ] as const)('given a stored file %s, when the database is verified, then exit 1 names each entry that recorded it and the file', async (_what, how, says) => {
    const copy = copyOfDb();
    tamperFile(copy, pdf.sha256, how);
    const result = await runCli('audit', 'verify', '--db', copy);
    expect(result.code, result.out).toBe(1);
    expect(result.out).toContain(`${brokenLine(progressSeq, pdf)} ${says}`);
    expect(result.out).toContain(`${brokenLine(commentSeq, pdf)} ${says}`);
    expect(result.out).not.toContain(png.sha256);
  });

  it('given a stored file replaced, when it is exported, then the export keeps the bytes as they are and says which entry is broken (exit 1)', async () => {
    const copy = copyOfDb();
    tamperFile(copy, png.sha256, 'replace');
    const out = join(work, `export-of-tampered-${++cases}`);
    const result = await runCli('audit', 'export', '--db', copy, '--out', out);
    expect(result.code, result.out).toBe(1);
    expect(result.out).toContain(`the exported file is BROKEN at seq ${progressSeq}: file "${png.name}"`);
    expect(readFileSync(join(out, 'files', png.sha256))).not.toEqual(pngBytes());
  });

  it.each([
    ['replaced', (file: string) => writeFileSync(file, Buffer.from(readFileSync(file).map((b) => b ^ 0xff))), 'was replaced or truncated'],
    ['truncated', (file: string) => truncateSync(file, 100), 'was replaced or truncated'],
    ['deleted', (file: string) => rmSync(file), 'is missing'],
  ])('given an exported file %s, when the export is verified offline, then exit 1 names the entry and the file', async (_what, tamper, says) => {
    const dir = copyOfExport();
    tamper(join(dir, 'files', pdf.sha256));
    const result = await runCli('audit', 'verify', '--log', dir);
    expect(result.code, result.out).toBe(1);
    expect(result.out).toContain(`${brokenLine(progressSeq, pdf)} ${says}`);
    expect(result.out).toContain(`${brokenLine(commentSeq, pdf)} ${says}`);
  });
});

describe('evidence files in the tamper-evident log: GET /api/audit/verify and the audit page', () => {
  let s: TestServer;
  let db: string;
  let seq: number;
  let file: { sha256: string; name: string };

  beforeAll(async () => {
    db = join(mkdtempSync(join(tmpdir(), 'duban-file-verify-')), 'duban.db');
    s = await startTestServer({ db });
    const lead = await s.token('unit', LEAD);
    expect((await s.send(lead, taskId(2), { type: 'START' })).status).toBe(200);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(pngBytes())]), '现场照片.png');
    const uploaded = (await (await s.request(`/api/tasks/${taskId(2)}/attachments`, { method: 'POST', token: lead, body: form })).json()) as { sha256: string };
    const sent = (await (await s.send(lead, taskId(2), { type: 'PROGRESS', summary: '现场照片', attachments: [uploaded.sha256] })).json()) as Sent;
    seq = sent.entry.seq;
    file = sent.entry.payload.attachments[0]!;
  });
  afterAll(async () => {
    await s.close();
    rmSync(join(db, '..'), { recursive: true, force: true });
  });

  it('given the file intact, then verify says ok with one file checked; once it is deleted, then ok is false and the entry and the file are named, on the API and the page', async () => {
    const reviewer = await s.token('reviewer');
    const before = (await (await s.request('/api/audit/verify', { token: reviewer })).json()) as Record<string, unknown>;
    expect(before).toMatchObject({ ok: true, files: { checked: 1, broken: [] } });
    tamperFile(db, file.sha256, 'delete');
    const after = (await (await s.request('/api/audit/verify', { token: reviewer })).json()) as Record<string, unknown>;
    expect(after).toMatchObject({ ok: false, firstBadSeq: seq, files: { checked: 1, broken: [{ seq, name: file.name, sha256: file.sha256, problem: 'missing' }] } });
    expect(after['reason']).toContain(file.sha256);
    const browser = new WebClient(s.url);
    await browser.signIn(reviewer);
    const page = await browser.get('/audit');
    expect(page.status).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('审计日志核验未通过');
    expect(text).toContain(`${seq} ${file.name} ${file.sha256} ✘ 文件缺失`);
  });
});
