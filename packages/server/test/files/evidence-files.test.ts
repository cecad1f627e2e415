import { request as httpRequest } from 'node:http';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/test-server.ts';
import { problemOf, startTestServer, taskId } from '../support/test-server.ts';
import { handMadeZip, pdfBytes, pngBytes, storedZipEntries } from './support.ts';

// Task 2: lead 市政务服务和公共资源交易中心; 市水务局 is no party to it.
const LEAD = '市政务服务和公共资源交易中心';
const STRANGER = '市水务局';

interface UploadAnswer {
  files: { id: string; name: string; size: number; type: string; sha256: string }[];
}

describe('evidence files: uploaded, attached to an event, kept in the log, served back', () => {
  let s: TestServer;
  let lead: string;
  let stranger: string;
  let office: string;
  let reviewer: string;

  const upload = (token: string, files: readonly { name: string; bytes: Buffer }[]) => {
    const form = new FormData();
    for (const file of files) form.append('file', new Blob([new Uint8Array(file.bytes)]), file.name);
    return s.request('/api/files', { method: 'POST', token, body: form });
  };
  const stored = async () => ({
    contents: Number((await s.db.selectFrom('file_content').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    chunks: Number((await s.db.selectFrom('file_chunk').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    uploads: Number((await s.db.selectFrom('file_upload').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  });
  async function refusedUpload(files: readonly { name: string; bytes: Buffer }[], status: number) {
    const before = await stored();
    const entries = await s.auditCount();
    const response = await upload(lead, files);
    expect(response.status).toBe(status);
    const body = await problemOf(response);
    expect(await stored()).toEqual(before);
    expect(await s.auditCount()).toBe(entries);
    return body;
  }

  beforeAll(async () => {
    s = await startTestServer({ uploadLimits: { fileBytes: 2 * 1024 * 1024, totalBytes: 3 * 1024 * 1024, files: 4 } });
    lead = await s.token('unit', LEAD);
    stranger = await s.token('unit', STRANGER);
    office = await s.token('office');
    reviewer = await s.token('reviewer');
    expect((await s.send(lead, taskId(2), { type: 'START' })).status).toBe(200);
  });
  afterAll(() => s.close());

  it('given a PDF and a photo uploaded by the lead unit, when its PROGRESS names them, then the entry records each file\'s hash, size, type and name', async () => {
    const response = await upload(lead, [
      { name: '实施方案（定稿）.pdf', bytes: pdfBytes('方案') },
      { name: '现场照片.png', bytes: pngBytes() },
    ]);
    expect(response.status).toBe(201);
    const { files } = (await response.json()) as UploadAnswer;
    expect(files.map((f) => [f.name, f.type, f.size])).toEqual([
      ['实施方案（定稿）.pdf', 'application/pdf', pdfBytes('方案').length],
      ['现场照片.png', 'image/png', pngBytes().length],
    ]);
    const sent = await s.send(lead, taskId(2), { type: 'PROGRESS', summary: '方案已定稿', attachments: files.map((f) => ({ file: f.id })) });
    expect(sent.status).toBe(200);
    const { entry } = (await sent.json()) as { entry: { payload: { attachments: unknown[] } } };
    expect(entry.payload.attachments).toEqual(files.map((f) => ({ sha256: f.sha256, name: f.name, size: f.size, type: f.type })));
  });

  it('when the office downloads a file, then it gets the stored bytes with their checked type, nosniff, a sandbox policy and the Chinese file name (RFC 6266)', async () => {
    const list = (await (await s.request(`/api/tasks/${taskId(2)}/files`, { token: office })).json()) as { items: { sha256: string; name: string }[] };
    const pdf = list.items.find((f) => f.name.endsWith('.pdf'))!;
    const response = await s.request(`/api/tasks/${taskId(2)}/files/${pdf.sha256}`, { token: office });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(pdfBytes('方案'));
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain('sandbox');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="file-${pdf.sha256.slice(0, 12)}.pdf"; filename*=UTF-8''${encodeURIComponent('实施方案（定稿）.pdf').replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`);
    const inline = await s.request(`/api/tasks/${taskId(2)}/files/${pdf.sha256}?inline=1`, { token: reviewer });
    expect(inline.headers.get('content-disposition')).toMatch(/^inline; /);
  });

  it('when the office downloads all of the task\'s files, then one zip holds each file\'s bytes under its entry and name', async () => {
    const response = await s.request(`/api/tasks/${taskId(2)}/files.zip`, { token: office });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    const entries = storedZipEntries(Buffer.from(await response.arrayBuffer()));
    expect(entries.map((e) => e.name)).toEqual([expect.stringMatching(/^\d+-实施方案（定稿）\.pdf$/), expect.stringMatching(/^\d+-现场照片\.png$/)]);
    expect(entries[0]!.data).toEqual(pdfBytes('方案'));
    expect(entries[1]!.data).toEqual(pngBytes());
  });

  it('given a file of several chunks uploaded once, when the same bytes are uploaded again, then the upload is recorded and nothing new is stored, and the bytes read back whole', async () => {
    const bytes = Buffer.concat([pdfBytes('两次上传'), Buffer.alloc(1200 * 1024, 7)]);
    const first = await upload(lead, [{ name: '台账.pdf', bytes }]);
    expect(first.status).toBe(201);
    const before = await stored();
    const again = await upload(lead, [{ name: '台账（再传）.pdf', bytes }]);
    expect(again.status).toBe(201);
    const [kept] = ((await again.json()) as UploadAnswer).files;
    expect(await stored()).toEqual({ ...before, uploads: before.uploads + 1 });
    const sent = await s.send(lead, taskId(2), { type: 'PROGRESS', summary: '台账', attachments: [{ file: kept!.id }] });
    expect(sent.status).toBe(200);
    const served = await s.request(`/api/tasks/${taskId(2)}/files/${kept!.sha256}`, { token: office });
    expect(Buffer.from(await served.arrayBuffer())).toEqual(bytes);
  });

  it('given files of several chunks kept (each chunk committed without waiting for the disk), when they are kept, then the database commits durably again', async () => {
    const durability = async () =>
      s.engine.store.dialect === 'postgres'
        ? (await sql<{ v: string }>`SELECT current_setting('synchronous_commit') AS v`.execute(s.db)).rows[0]!.v
        : String((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(s.db)).rows[0]!.synchronous);
    const durable = s.engine.store.dialect === 'postgres' ? 'on' : '2';
    expect(await durability()).toBe(durable);
    const response = await upload(lead, [{ name: '三个分块.pdf', bytes: Buffer.concat([pdfBytes('分块'), Buffer.alloc(1100 * 1024, 9)]) }]);
    expect(response.status).toBe(201);
    expect(await durability()).toBe(durable);
  });

  it('given a unit that is no party to the task, when it asks for the task\'s files, then it gets 404 as for a task that does not exist', async () => {
    const list = (await (await s.request(`/api/tasks/${taskId(2)}/files`, { token: office })).json()) as { items: { sha256: string }[] };
    expect((await s.request(`/api/tasks/${taskId(2)}/files`, { token: stranger })).status).toBe(404);
    expect((await s.request(`/api/tasks/${taskId(2)}/files/${list.items[0]!.sha256}`, { token: stranger })).status).toBe(404);
    expect((await s.request(`/api/tasks/${taskId(2)}/files.zip`, { token: stranger })).status).toBe(404);
  });

  it('given a file uploaded by another unit or never uploaded, when an event names it, then 422 names the entry and nothing is written', async () => {
    const theirs = ((await (await upload(stranger, [{ name: '别的单位.pdf', bytes: pdfBytes('别的') }])).json()) as UploadAnswer).files[0]!;
    const before = await s.auditCount();
    for (const attachments of [[{ file: theirs.id }], [{ file: '00000000-0000-4000-8000-000000000000' }], [{ sha256: theirs.sha256, name: 'x.pdf', size: 1, type: 'application/pdf' }]]) {
      const response = await s.send(lead, taskId(2), { type: 'PROGRESS', summary: '借用他人文件', attachments });
      expect(response.status).toBe(422);
      const { errors } = (await problemOf(response)) as { errors: { path: string; message: string }[] };
      expect(errors[0]!.path).toMatch(/^attachments\.0/);
      expect(errors[0]!.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await s.auditCount()).toBe(before);
  });

  it('given a real .xlsx made by exceljs, when it is uploaded, then its type is judged Excel by its bytes, whatever its name says', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('台账').addRow(['序号', '任务']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const response = await upload(lead, [{ name: '台账.pdf', bytes }]);
    expect(response.status).toBe(201);
    expect(((await response.json()) as UploadAnswer).files[0]!.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });

  it.each([
    ['HTML named .pdf', { name: '通知.pdf', bytes: Buffer.from('<!doctype html><script>alert(1)</script>') }],
    ['SVG with a script', { name: '图.svg', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') }],
    ['an empty file', { name: '空.pdf', bytes: Buffer.alloc(0) }],
    ['a macro-enabled Office file', { name: '宏.docx', bytes: handMadeZip([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'word/vbaProject.bin', data: Buffer.from('macro') }]) }],
    ['a polyglot: a PDF that is also a page with a script', { name: '报告.pdf', bytes: Buffer.concat([pdfBytes(), Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>')]) }],
    ['a polyglot: a photo with an archive appended', { name: '照片.png', bytes: Buffer.concat([pngBytes(), handMadeZip([{ name: 'run.html', data: Buffer.from('<script>alert(1)</script>') }])]) }],
    ['a zip bomb', { name: '炸弹.zip', bytes: handMadeZip([{ name: 'a.txt', data: Buffer.alloc(1000, 0x61), declared: 4_000_000_000 }]) }],
  ])('given %s, when it is uploaded, then 415 says why in Chinese and nothing is stored', async (_name, file) => {
    const body = await refusedUpload([file], 415);
    expect(JSON.stringify(body['errors'])).toMatch(/[\u4e00-\u9fff]/);
  });

  it.each([
    ['a path', 'filename="../../etc/passwd.pdf"'],
    ['a line break', `filename*=UTF-8''${encodeURIComponent('报告\r\n.pdf')}`],
    ['a NUL', `filename*=UTF-8''a%00.pdf`],
    ['300 characters', `filename*=UTF-8''${encodeURIComponent(`${'长'.repeat(300)}.pdf`)}`],
  ])('given a file name with %s, when it is uploaded, then 422 names it and nothing is stored', async (_name, disposition) => {
    const before = await stored();
    const boundary = 'duban-boundary';
    const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; ${disposition}\r\n\r\n`), pdfBytes(), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const response = await s.request('/api/files', { method: 'POST', token: lead, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body });
    expect(response.status).toBe(422);
    expect(JSON.stringify((await problemOf(response))['errors'])).toContain('文件名');
    expect(await stored()).toEqual(before);
  });

  it('given files over the limits, when they are uploaded, then 413 and nothing is stored, not even the files before them', async () => {
    await refusedUpload([{ name: '大.pdf', bytes: Buffer.concat([pdfBytes(), Buffer.alloc(3 * 1024 * 1024)]) }], 413);
    const twoMegabytes = Buffer.concat([pdfBytes(), Buffer.alloc(1900 * 1024)]);
    await refusedUpload([{ name: '一.pdf', bytes: twoMegabytes }, { name: '二.pdf', bytes: Buffer.concat([twoMegabytes, Buffer.from('2')]) }], 413);
    await refusedUpload(Array.from({ length: 5 }, (_, i) => ({ name: `${i}.pdf`, bytes: pdfBytes(String(i)) })), 413);
  });

  it('given an upload cut off midway, when the connection ends, then 400 and nothing is stored', async () => {
    const before = await stored();
    const boundary = 'duban-boundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="cut.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${s.url}/api/files`, { method: 'POST', headers: { Authorization: `Bearer ${lead}`, 'Content-Type': `multipart/form-data; boundary=${boundary}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(Buffer.concat([Buffer.from(head), pdfBytes(), Buffer.alloc(700 * 1024)]));
    });
    expect(status).toBe(400);
    expect(await stored()).toEqual(before);
  });

  it('when a reviewer uploads, or a JSON body is sent as a file, then 403 and 415', async () => {
    expect((await upload(reviewer, [{ name: 'a.pdf', bytes: pdfBytes() }])).status).toBe(403);
    const json = await s.request('/api/files', { method: 'POST', token: lead, headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
  });

  it('given DESIGN\'s shapes, when the lead uploads to its task and names the file by its sha256, then the entry records it and the task serves it', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(pdfBytes('按任务上传'))]), '按任务上传.pdf');
    const uploaded = await s.request(`/api/tasks/${taskId(2)}/attachments`, { method: 'POST', token: lead, body: form });
    expect(uploaded.status).toBe(201);
    const file = (await uploaded.json()) as { sha256: string; size: number; type: string; name: string };
    expect(file).toMatchObject({ name: '按任务上传.pdf', type: 'application/pdf', size: pdfBytes('按任务上传').length });
    const sent = await s.send(lead, taskId(2), { type: 'PROGRESS', summary: '按任务上传', attachments: [file.sha256] });
    expect(sent.status).toBe(200);
    expect(((await sent.json()) as { entry: { payload: { attachments: unknown[] } } }).entry.payload.attachments).toEqual([{ sha256: file.sha256, name: file.name, size: file.size, type: file.type }]);
    const served = await s.request(`/api/tasks/${taskId(2)}/attachments/${file.sha256}`, { token: office });
    expect(Buffer.from(await served.arrayBuffer())).toEqual(pdfBytes('按任务上传'));
    const strangerForm = new FormData();
    strangerForm.append('file', new Blob([new Uint8Array(pdfBytes())]), 'x.pdf');
    expect((await s.request(`/api/tasks/${taskId(2)}/attachments`, { method: 'POST', token: stranger, body: strangerForm })).status).toBe(404);
    const before = await s.auditCount();
    expect((await s.send(stranger, taskId(2), { type: 'PROGRESS', summary: '他人的文件', attachments: [file.sha256] })).status).toBe(404);
    expect(await s.auditCount()).toBe(before);
  });

  it('when the office comments asking the lead and the lead answers, then each is a COMMENT entry (201) that leaves the state alone', async () => {
    const state = async () => ((await (await s.request(`/api/tasks/${taskId(2)}`, { token: office })).json()) as { state: string }).state;
    const was = await state();
    const comment = (token: string, body: unknown) => s.request(`/api/tasks/${taskId(2)}/comments`, { method: 'POST', token, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const asked = await comment(office, { text: '请说明区级落实情况', ask: [LEAD] });
    expect(asked.status).toBe(201);
    expect(((await asked.json()) as { entry: { type: string } }).entry.type).toBe('COMMENT');
    expect((await comment(lead, { text: '已落实，详见附件说明' })).status).toBe(201);
    expect(await state()).toBe(was);
    const blank = await comment(office, { text: '   ' });
    expect(blank.status).toBe(422);
    expect((await comment(stranger, { text: '我也想说' })).status).toBe(404);
  });
});
