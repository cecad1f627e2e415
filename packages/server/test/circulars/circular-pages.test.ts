import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/test-server.ts';
import type { TestServer } from '../support/test-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';

const PASSWORD = 'Karamay-2023-ok';

describe('circulars issued on the pages: the office issues, a named unit is told and reads it, prints it and takes it as Word', () => {
  let server: TestServer;
  let office: WebClient;
  const signIn = async (login: string) => {
    const client = new WebClient(server.url);
    await client.get('/login');
    await client.post('/login', { login, password: PASSWORD });
    return client;
  };

  beforeAll(async () => {
    server = await startTestServer();
    server.clock.set('2023-09-05T10:00:00+08:00');
    const at = server.clock.now();
    await server.duban.accounts.create({ login: 'li.office', displayName: '李督查', role: 'office-staff', password: PASSWORD, mustChangePassword: false }, at);
    // 市发改委 leads task 1 (due 2023-06-30): overdue by August, so the circular names it.
    await server.duban.accounts.create({ login: 'fgw', displayName: '张三', role: 'unit-staff', unit: '市发改委', password: PASSWORD, mustChangePassword: false }, at);
    office = await signIn('li.office');
  });
  afterAll(() => server.close());

  it('when the office issues August\'s circular from the circular page, twice by a double click, then one number is taken and its page says so', async () => {
    const page = await office.get('/circular?from=2023-08-01&to=2023-08-31');
    expect(textOf(page.body)).toContain('印发此通报');
    const key = /name="_key" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const first = await office.post('/circular/issue', { _key: key, from: '2023-08-01', to: '2023-08-31' }, { csrf });
    const second = await office.post('/circular/issue', { _key: key, from: '2023-08-01', to: '2023-08-31' }, { csrf });
    expect(first.status).toBe(303);
    expect(second.location).toBe(first.location);
    const shown = await office.get(first.location!);
    const text = textOf(shown.body);
    expect(text).toContain('通报已印发，文号克改办通〔2023〕1号');
    expect(text).toContain('李督查');
    expect(await server.db.selectFrom('circular_issue').select('number').execute()).toEqual([{ number: '克改办通〔2023〕1号' }]);
  });

  it('when a named unit opens its notices and 通报, then the circular is there and opens, prints and downloads as Word; an unnamed unit sees none', async () => {
    const unit = await signIn('fgw');
    const notices = await unit.get('/notifications');
    expect(textOf(notices.body)).toContain('【通报】克改办通〔2023〕1号');
    expect(notices.body).toContain('href="/circulars/1"');
    expect(textOf((await unit.get('/circulars')).body)).toContain('克改办通〔2023〕1号');
    expect((await unit.get('/circulars/1')).status).toBe(200);
    const print = await unit.get('/circulars/1/print');
    expect(print.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/);
    expect(print.body).toContain('@media print');
    expect(print.body).toContain('<p class="number">克改办通〔2023〕1号</p>');
    const word = await fetch(`${server.url}/circulars/1.docx`, { headers: { Cookie: `duban_session=${unit.cookie('duban_session') ?? ''}` } });
    expect(word.status).toBe(200);
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(await word.arrayBuffer()) });
    expect(value).toContain('克改办通〔2023〕1号');
    const [issued] = await server.db.selectFrom('circular_issue').select('units').execute();
    const named = JSON.parse(issued!.units) as string[];
    const unnamed = server.duban.units.units.find((u) => u.kind !== 'collective' && !named.includes(u.name))!.name;
    await server.duban.accounts.create({ login: 'other', displayName: '李四', role: 'unit-staff', unit: unnamed, password: PASSWORD, mustChangePassword: false }, server.clock.now());
    const stranger = await signIn('other');
    expect(textOf((await stranger.get('/circulars')).body)).toContain('共 0 份');
    expect((await stranger.get('/circulars/1')).status).toBe(404);
    expect((await stranger.get('/circulars/1.docx')).status).toBe(404);
  });

  it('when a unit posts the issue form, then 403 and nothing is issued', async () => {
    const unit = await signIn('fgw');
    await unit.get('/circulars');
    expect((await unit.post('/circular/issue', { _key: 'k'.repeat(20), from: '2023-07-01', to: '2023-07-31' })).status).toBe(403);
    expect((await server.db.selectFrom('circular_issue').select('id').execute()).length).toBe(1);
  });
});
