import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/create-logger.ts';
import { ChannelDispatcher } from '../../src/notifications/channels/channel-dispatcher.ts';
import { smtpEmailSender } from '../../src/notifications/channels/email-sender.ts';
import { startRobotReceiver, startSmtpServer } from '../notices/channel-receivers.ts';
import type { TestServer } from '../support/test-server.ts';
import { problemOf, startTestServer } from '../support/test-server.ts';

interface Issued {
  id: number;
  number: string;
  year: number;
  sequence: number;
  period: { from: string; to: string };
  title: string;
  units: string[];
  contentSha256: string;
  issuedBy: { role: string; account?: { id: number; name: string } };
  hash: string;
  prevHash: string;
}

describe('circulars issued (通报印发): numbered, registered, sent to the units they name, read back as Word', () => {
  let s: TestServer;
  let office: string;
  let leader: string;

  beforeAll(async () => {
    s = await startTestServer();
    // Nothing is done by the end of August: every task due by then is overdue and its units are named.
    s.clock.set('2023-09-05T10:00:00+08:00');
    office = await s.token('office');
    const wang = await s.duban.accounts.create({ login: 'wang.fsz', displayName: '王副市长', role: 'leader' }, s.clock.now());
    leader = (await s.tokens.create({ role: 'leader', accountId: wang.id }, s.clock.now())).token;
  });
  afterAll(async () => s.close());

  const issue = (token: string, body: unknown, key?: string) =>
    s.request('/api/reports/circulars', {
      method: 'POST',
      token,
      headers: { 'Content-Type': 'application/json', ...(key === undefined ? {} : { 'Idempotency-Key': key }) },
      body: JSON.stringify(body),
    });
  const notices = () => s.db.selectFrom('notification').selectAll().where('type', '=', 'CIRCULAR').execute();

  it('when the office issues the circular of May to August, then it is 克改办通〔2023〕1号, registered with its hash, and each unit it names gets a notice', async () => {
    const response = await issue(office, { from: '2023-05', to: '2023-08' }, 'issue-aug-1');
    expect(response.status).toBe(201);
    const issued = (await response.json()) as Issued;
    expect(issued).toMatchObject({ number: '克改办通〔2023〕1号', year: 2023, sequence: 1, period: { from: '2023-05-01', to: '2023-08-31' }, issuedBy: { role: 'office' } });
    expect(issued.title).toBe('关于2023年5月至8月“放管服”改革工作推进情况的通报');
    expect(issued.prevHash).toBe('0'.repeat(64));
    expect(issued.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(issued.units.length).toBeGreaterThan(3);
    expect(issued.units).not.toContain('各区人民政府');
    expect(issued.units).not.toContain('市级各有关部门');
    const sent = await notices();
    expect(sent.map((n) => n.unit).sort()).toEqual([...issued.units].sort());
    expect(sent.every((n) => n.title === '【通报】克改办通〔2023〕1号' && Number(n.entry_seq) === -issued.id)).toBe(true);
  });

  it('when the same request is sent again with its key, then the first issue answers (200) and no number or notice is taken', async () => {
    const before = (await notices()).length;
    const again = await issue(office, { from: '2023-05', to: '2023-08' }, 'issue-aug-1');
    expect(again.status).toBe(200);
    expect(((await again.json()) as Issued).number).toBe('克改办通〔2023〕1号');
    expect((await notices()).length).toBe(before);
    const reused = await issue(office, { from: '2023-06', to: '2023-08' }, 'issue-aug-1');
    expect(reused.status).toBe(422);
    expect(String((await problemOf(reused))['type'])).toContain('idempotency-key-reused');
  });

  it('when six circulars are issued at once, then they take six numbers, none repeated, and the register chains them', async () => {
    const answers = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => issue(office, { from: '2023-08', to: '2023-08' }, `burst-${n}`)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const numbers = (await Promise.all(answers.map(async (a) => ((await a.json()) as Issued).sequence))).sort((a, b) => a - b);
    expect(numbers).toEqual([2, 3, 4, 5, 6, 7]);
    expect(await s.duban.circulars.verify()).toBeUndefined();
  });

  it('when an issued circular\'s content is edited in the database, then the register no longer verifies, naming it', async () => {
    const row = await s.db.selectFrom('circular_issue').select(['id', 'content']).where('id', '=', 3).executeTakeFirstOrThrow();
    await s.db.updateTable('circular_issue').set({ content: row.content.replace('通报', '表扬') }).where('id', '=', 3).execute();
    expect(await s.duban.circulars.verify()).toEqual({ id: 3, reason: 'content does not match its hash' });
    await s.db.updateTable('circular_issue').set({ content: row.content }).where('id', '=', 3).execute();
    expect(await s.duban.circulars.verify()).toBeUndefined();
  });

  it('when a leader, a reviewer or a unit tries to issue, or the period is bad, then 403 or 422 and nothing is registered', async () => {
    const count = async () => (await s.db.selectFrom('circular_issue').select('id').execute()).length;
    const before = await count();
    expect((await issue(leader, { from: '2023-08', to: '2023-08' })).status).toBe(403);
    expect((await issue(await s.token('reviewer'), { from: '2023-08', to: '2023-08' })).status).toBe(403);
    expect((await issue(await s.token('unit', '市发改委'), { from: '2023-08', to: '2023-08' })).status).toBe(403);
    const future = await issue(office, { from: '2023-09', to: '2023-12' });
    expect(future.status).toBe(422);
    expect(JSON.stringify(await problemOf(future))).toContain('body.to');
    expect((await issue(office, { from: '2023-08', to: '2023-08', number: '99号' })).status).toBe(422);
    expect(await count()).toBe(before);
  });

  it('when a unit it names lists and reads circulars, then it gets that one; a unit it does not name gets neither', async () => {
    const first = ((await (await s.request('/api/reports/circulars/1', { token: office })).json()) as Issued);
    const named = first.units[0]!;
    const unit = await s.token('unit', named);
    const listed = (await (await s.request('/api/reports/circulars', { token: unit })).json()) as { items: Issued[] };
    expect(listed.items.map((c) => c.id)).toContain(1);
    expect((await s.request('/api/reports/circulars/1?format=md', { token: unit })).status).toBe(200);
    const stranger = s.duban.units.units.find((u) => u.kind !== 'collective' && !first.units.includes(u.name))!.name;
    const other = await s.token('unit', stranger);
    expect(((await (await s.request('/api/reports/circulars', { token: other })).json()) as { items: Issued[] }).items).toEqual([]);
    expect((await s.request('/api/reports/circulars/1', { token: other })).status).toBe(404);
    expect((await s.request('/api/reports/circulars/999', { token: office })).status).toBe(404);
  });

  it('when the office downloads it as Word, then the .docx reads back with its title, number, sections and a table of the overdue tasks', async () => {
    const response = await s.request('/api/reports/circulars/1?format=docx', { token: leader });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(response.headers.get('content-disposition')).toContain(encodeURIComponent('通报-克改办通〔2023〕1号.docx'));
    const buffer = Buffer.from(await response.arrayBuffer());
    const { value: text } = await mammoth.extractRawText({ buffer });
    expect(text).toContain('关于2023年5月至8月“放管服”改革工作推进情况的通报');
    expect(text).toContain('克改办通〔2023〕1号');
    expect(text).toContain('三、逾期未完成任务及责任单位');
    const { value: page } = await mammoth.convertToHtml({ buffer });
    expect(page).toContain('<table>');
    expect(page).toMatch(/<th><p><strong>序号<\/strong><\/p><\/th>|<td><p><strong>序号<\/strong><\/p><\/td>/);
    const issued = (await (await s.request('/api/reports/circulars/1', { token: office })).json()) as Issued & { circular: { sections: { overdue: { tasks: { number: number; text: string }[] } } } };
    const firstOverdue = issued.circular.sections.overdue.tasks[0]!;
    expect(page).toContain(`<td><p>${firstOverdue.number}</p></td>`);
  });
});

describe('a circular’s notices reach the units’ channels like any other notice', () => {
  it('given 市司法局’s mailbox and a robot of another unit that takes only 督办, when the office issues a circular naming both, then the mailbox gets the 通报 by real SMTP, with no task number, and the robot nothing', async () => {
    const s = await startTestServer();
    const mail = await startSmtpServer();
    const robot = await startRobotReceiver();
    try {
      s.clock.set('2023-09-05T10:00:00+08:00');
      const office = await s.token('office');
      const put = (unit: string, channel: string, body: unknown) =>
        s.request(`/api/notice-channels/${encodeURIComponent(unit)}/${channel}`, { method: 'PUT', token: office, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      expect((await put('市司法局', 'email', { address: 'sifaju@example.gov.cn', kinds: ['URGE', 'CIRCULAR'] })).status).toBe(201);
      expect((await put('市发改委', 'wecom', { url: `${robot.url}/cgi-bin/webhook/send?key=fgw`, kinds: ['URGE'] })).status).toBe(201);

      const response = await s.request('/api/reports/circulars', { method: 'POST', token: office, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ from: '2023-05', to: '2023-08' }) });
      expect(response.status).toBe(201);
      const issued = (await response.json()) as Issued;
      expect(issued.units).toEqual(expect.arrayContaining(['市司法局', '市发改委']));
      const queued = await s.db.selectFrom('notice_delivery as d').innerJoin('notification as n', 'n.id', 'd.notification_id').select(['n.unit', 'n.type', 'd.channel', 'd.recipient']).execute();
      expect(queued).toEqual([{ unit: '市司法局', type: 'CIRCULAR', channel: 'email', recipient: 'sifaju@example.gov.cn' }]);

      const mailer = await smtpEmailSender({ host: '127.0.0.1', port: mail.port, from: 'duban@example.gov.cn', startTls: false });
      const logger = createLogger({ level: 'silent' });
      const report = await new ChannelDispatcher(s.db, s.engine.store.dialect, s.clock, logger, { robots: { allowLoopback: true }, random: () => 0.5, mailer }).tick();
      mailer.close();
      expect(report.delivered).toHaveLength(1);
      expect(mail.mails.map((m) => [m.to, m.subject])).toEqual([[['sifaju@example.gov.cn'], `【通报】${issued.number}`]]);
      expect(mail.mails[0]!.text).toContain(`${issued.title}（${issued.number}）已印发`);
      expect(mail.mails[0]!.text).toContain('发往：市司法局');
      expect(mail.mails[0]!.text).not.toContain('任务编号');
      expect(robot.requests).toHaveLength(0);
    } finally {
      await robot.close();
      await mail.close();
      await s.close();
    }
  });
});
