import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createToken, samplePlanJson, serve, taskId } from '../http/support/duban-process.ts';
import type { ServeProcess } from '../http/support/duban-process.ts';
import { chromiumMissing, chromiumPath, launchChromium, mustRun, watchPage } from './support/chromium.ts';
import type { PageProblems } from './support/chromium.ts';

const WATER = '市水务局';
/** Task 7: led by 市水务局 alone. */
const TASK = taskId(7);

/** A one-page PDF that a viewer really renders: a catalog, a page tree, a page with a line of text, the cross-reference table with true offsets. */
function onePagePdf(text: string): Buffer {
  const stream = `BT /F1 24 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A PNG of `width`×`height` pixels in one colour, made with zlib: a real image the browser decodes. */
function solidPng(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(typed));
    return Buffer.concat([length, typed, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [30, 120, 200]).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

if (chromiumMissing && !mustRun) console.warn(`browser tests skipped: no Chromium at ${chromiumPath}`);

describe.skipIf(chromiumMissing && !mustRun)('evidence files previewed in the task page, in a real browser', () => {
  let dir: string;
  let server: ServeProcess;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;
  let watch: PageProblems;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'duban-preview-'));
    const db = join(dir, 'duban.db');
    server = await serve(db, ['--plan', samplePlanJson, '--clock', '2023-05-15T09:00:00+08:00']);
    const launching = launchChromium();
    const [unit, office] = await Promise.all([createToken(db, 'unit', WATER), createToken(db, 'office')]);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(onePagePdf('duban evidence'))]), '整改报告.pdf');
    form.append('file', new Blob([new Uint8Array(solidPng(40, 30))]), '现场照片.png');
    const uploaded = await fetch(`${server.url}/api/files`, { method: 'POST', headers: { authorization: `Bearer ${unit}` }, body: form });
    expect(uploaded.status).toBe(201);
    const { files } = (await uploaded.json()) as { files: { id: string }[] };
    const api = client(server.url, unit!);
    expect((await api.event(TASK, { type: 'START' })).status).toBe(200);
    expect((await api.event(TASK, { type: 'PROGRESS', summary: '已整改', attachments: files.map((f) => ({ file: f.id })) })).status).toBe(200);
    browser = await launching;
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
    watch = watchPage(page);
    await page.goto(`${server.url}/login`);
    await page.getByText('使用访问令牌登录（供程序或临时使用）').click();
    await page.getByLabel('访问令牌').fill(office!);
    await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.locator('details', { has: page.getByLabel('访问令牌') }).getByRole('button', { name: '登录' }).click()]);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('given a PDF and a photo attached to a PROGRESS, when the office opens the task page, then Chromium shows the photo and renders the PDF inside the page, under the pages\' CSP and the file route\'s sandbox', async () => {
    const pageResponse = await page.goto(`${server.url}/tasks/${encodeURIComponent(TASK)}`);
    // The page's own policy as strict as for every page: no framing of it, script and style only from this server.
    const pageCsp = (await pageResponse!.allHeaders())['content-security-policy'] ?? '';
    expect(pageCsp).toContain("frame-ancestors 'none'");
    expect(pageCsp).toContain("script-src 'self'");
    expect(pageCsp).toContain("object-src 'none'");

    const photo = page.locator('li.attachment', { hasText: '现场照片.png' }).first().locator('img');
    await photo.scrollIntoViewIfNeeded();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : -1)), { timeout: 20_000 }).toBe(40);

    const pdfItem = page.locator('li.attachment', { hasText: '整改报告.pdf' }).first();
    const [fileResponse] = await Promise.all([
      page.waitForResponse((response) => response.url().includes('?inline=1') && response.headers()['content-type'] === 'application/pdf'),
      pdfItem.locator('details.preview > summary').click(),
    ]);
    const fileHeaders = await fileResponse.allHeaders();
    expect(fileHeaders['content-security-policy']).toMatch(/default-src 'none'.*sandbox/);
    expect(fileHeaders['x-content-type-options']).toBe('nosniff');
    expect(fileHeaders['content-disposition']).toMatch(/^inline; /);
    // Chromium's PDF viewer runs in a frame of its own inside the iframe; once it has parsed the file it shows the page count
    // (its toolbar's #pagelength, reached through the shadow roots): the PDF is rendered, not merely fetched.
    const viewer = () => page.frames().find((frame) => frame.url().startsWith('chrome-extension://') && frame.parentFrame()?.url() === fileResponse.url());
    await expect.poll(() => viewer() !== undefined, { timeout: 20_000 }).toBe(true);
    await expect.poll(() => viewer()!.locator('#pagelength').textContent(), { timeout: 20_000 }).toBe('1');
    expect(await viewer()!.locator('#title').textContent()).toBe('整改报告.pdf');
    expect(watch.problems).toEqual([]);
  });
});
