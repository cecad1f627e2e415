import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliveryLogResponse, noticeChannelSchema } from '../../src/api/schemas.ts';
import { createLogger } from '../../src/app/create-logger.ts';
import { openDuban } from '../../src/app/open-duban.ts';
import { ChannelDispatcher } from '../../src/notifications/channels/channel-dispatcher.ts';
import type { ChannelDispatcherOptions } from '../../src/notifications/channels/channel-dispatcher.ts';
import type { SmtpSettings } from '../../src/notifications/channels/email-sender.ts';
import { smtpEmailSender } from '../../src/notifications/channels/email-sender.ts';
import { problemOf, reopenableDatabase } from '../support/test-server.ts';
import type { OversightServer } from '../oversight/support/oversight-server.ts';
import { DISTRICTS, PLAN_ID, accepted, shanghai, startOversightServer } from '../oversight/support/oversight-server.ts';
import { startHangingServer, startRobotReceiver, startSmtpServer } from './channel-receivers.ts';

const FROM = 'duban@example.gov.cn';
const smtp = (port: number, timeouts = 2_000): SmtpSettings => ({
  host: '127.0.0.1',
  port,
  from: `督办系统 <${FROM}>`,
  startTls: false,
  connectionTimeoutMs: timeouts,
  greetingTimeoutMs: timeouts,
  socketTimeoutMs: timeouts,
});
const DINGTALK_SECRET = 'SECd1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1';

describe('notice channels: e-mail, 企业微信 and 钉钉 robots from an outbox written with the transition', () => {
  let s: OversightServer;
  let office: string;
  const closers: (() => Promise<void> | void)[] = [];
  const logLines: string[] = [];
  const dispatcher = async (options: Partial<ChannelDispatcherOptions> & { smtp?: SmtpSettings }, on: OversightServer = s) => {
    const mailer = options.smtp === undefined ? undefined : await smtpEmailSender(options.smtp);
    if (mailer !== undefined) closers.push(() => mailer.close());
    const logger = createLogger({ level: 'warn', destination: { write: (line: string) => void logLines.push(line) } });
    return new ChannelDispatcher(on.db, on.engine.store.dialect, on.clock, logger, { robots: { allowLoopback: true }, random: () => 0.5, mailer, ...options });
  };
  const put = (unit: string, channel: string, body: unknown, token = office) =>
    s.request(`/api/notice-channels/${encodeURIComponent(unit)}/${channel}`, { method: 'PUT', token, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const deliveries = () => s.db.selectFrom('notice_delivery').selectAll().orderBy('id').execute();

  beforeEach(async () => {
    // Given the four tasks (task 3: lead 市司法局, responsible 各区人民政府 = four districts)
    s = await startOversightServer();
    office = await s.token('office');
    logLines.splice(0);
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
    await s.close();
  });

  it('given a mailbox, a person who wants mail, a 企业微信 robot and a signed 钉钉 robot, when the office urges, then each gets exactly its message: Chinese mail intact, the robots’ JSON, 钉钉’s signature', async () => {
    const mail = await startSmtpServer();
    const wecom = await startRobotReceiver();
    const dingtalk = await startRobotReceiver();
    closers.push(mail.close, wecom.close, dingtalk.close);
    // Given 市司法局's mailbox and 企业微信 robot, 克拉玛依区's signed 钉钉 robot, and 王力 of 市司法局 who wants mail
    expect((await put('市司法局', 'email', { address: 'sifaju@example.gov.cn' })).status).toBe(201);
    const set = await put('市司法局', 'wecom', { url: `${wecom.url}/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa` });
    expect(set.status).toBe(201);
    const view = await set.json();
    expect(noticeChannelSchema.safeParse(view).error).toBeUndefined();
    expect(view.target).toBe(`${wecom.url}/cgi-bin/webhook/send?key=****5aaa`);
    const signed = await put('克拉玛依区人民政府', 'dingtalk', { url: `${dingtalk.url}/robot/send?access_token=abcdef0123456789`, secret: DINGTALK_SECRET });
    expect(signed.status).toBe(201);
    expect(await signed.json()).toMatchObject({ unit: '克拉玛依区人民政府', secretSet: true, target: `${dingtalk.url}/robot/send?access_token=****6789` });
    expect(JSON.stringify(await (await s.request('/api/notice-channels', { token: office })).json())).not.toContain(DINGTALK_SECRET);
    const person = await s.duban.accounts.create({ login: 'wangli', displayName: '王力', role: 'unit-staff', unit: '市司法局', email: 'wangli@example.gov.cn' }, s.clock.now());
    const wants = await s.request(`/api/notice-people/${person.id}`, { method: 'PUT', token: office, headers: { 'Content-Type': 'application/json' }, body: '{"email":true}' });
    expect(wants.status).toBe(200);
    expect(await wants.json()).toMatchObject({ accountId: person.id, unit: '市司法局', email: 'wangli@example.gov.cn', wantsEmail: true });

    // When the office urges task 3
    await accepted(s.send('2023-06-01 10:00', office, 3, { type: 'URGE', message: '请加快推进' }));
    // Then the outbox holds four sends, written with the transition, none sent yet
    const queued = await deliveries();
    expect(queued.map((d) => [d.channel, d.recipient, d.status])).toEqual([
      ['email', 'sifaju@example.gov.cn', 'pending'],
      ['wecom', 'robot', 'pending'],
      ['email', 'wangli@example.gov.cn', 'pending'],
      ['dingtalk', 'robot', 'pending'],
    ]);
    expect(mail.mails).toHaveLength(0);

    // When the dispatcher runs after the commit
    const report = await (await dispatcher({ smtp: smtp(mail.port) })).tick();
    expect(report).toEqual({ delivered: queued.map((d) => Number(d.id)), retrying: [], failed: [] });

    // Then two mails arrived, the Chinese subject and body intact, the header encoded
    const notice = await s.db.selectFrom('notification').selectAll().where('unit', '=', '市司法局').executeTakeFirstOrThrow();
    expect(mail.mails.map((m) => m.to).sort()).toEqual([['sifaju@example.gov.cn'], ['wangli@example.gov.cn']]);
    for (const m of mail.mails) {
      expect(m.from).toBe(FROM);
      expect(m.subject).toBe('【督办】第3项任务');
      expect(m.text).toContain(notice.body);
      expect(m.raw).toMatch(/^Subject: =\?UTF-8\?/m);
    }
    // The 企业微信 robot got its markdown message, exactly
    expect(wecom.requests).toHaveLength(1);
    expect(wecom.requests[0]!.path).toBe('/cgi-bin/webhook/send');
    expect(wecom.requests[0]!.query.get('key')).toBe('693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa');
    expect(wecom.requests[0]!.contentType).toBe('application/json; charset=utf-8');
    expect(wecom.requests[0]!.json).toEqual({ msgtype: 'markdown', markdown: { content: `### 【督办】第3项任务\n${notice.body}\n> 任务编号：oversight-2023.003（发往市司法局）` } });
    // The 钉钉 robot got its markdown message on a URL signed with the clock's timestamp: the signature recomputed here
    expect(dingtalk.requests).toHaveLength(1);
    const { query, json } = dingtalk.requests[0]!;
    const district = await s.db.selectFrom('notification').selectAll().where('unit', '=', '克拉玛依区人民政府').executeTakeFirstOrThrow();
    expect(json).toEqual({ msgtype: 'markdown', markdown: { title: '【督办】第3项任务', text: `### 【督办】第3项任务\n\n${district.body}\n\n> 任务编号：oversight-2023.003（发往克拉玛依区人民政府）` } });
    expect(query.get('access_token')).toBe('abcdef0123456789');
    expect(query.get('timestamp')).toBe(String(Date.parse(shanghai('2023-06-01 10:00'))));
    expect(query.get('sign')).toBe(createHmac('sha256', DINGTALK_SECRET).update(`${query.get('timestamp')}\n${DINGTALK_SECRET}`).digest('base64'));

    // And the office reads the delivery log: four delivered, once each
    const log = await s.request('/api/notice-deliveries', { token: await s.token('reviewer') });
    expect(log.status).toBe(200);
    const body = await log.json();
    expect(deliveryLogResponse.safeParse(body).error).toBeUndefined();
    expect(body.items.map((d: { channel: string; status: string; attempts: number }) => [d.channel, d.status, d.attempts])).toEqual([
      ['dingtalk', 'delivered', 1],
      ['email', 'delivered', 1],
      ['wecom', 'delivered', 1],
      ['email', 'delivered', 1],
    ]);
    // Nothing is sent twice by a later round
    expect(await (await dispatcher({ smtp: smtp(mail.port) })).tick()).toEqual({ delivered: [], retrying: [], failed: [] });
    expect(mail.mails).toHaveLength(2);
  });

  it('given a robot that is down and an SMTP server that is down, when the office urges, then the transition commits, the sends are retried after a jittered backoff, and delivered once both come back', async () => {
    // Given ports where nothing listens yet
    const probeRobot = await startRobotReceiver();
    const probeMail = await startSmtpServer();
    const [robotPort, mailPort] = [probeRobot.port, probeMail.port];
    await probeRobot.close();
    await probeMail.close();
    expect((await put('市司法局', 'wecom', { url: `http://127.0.0.1:${robotPort}/send?key=k1`, format: 'text' })).status).toBe(201);
    expect((await put('市司法局', 'email', { address: 'sifaju@example.gov.cn' })).status).toBe(201);
    // When the office urges task 3: 200, the audit entry and the notices are there
    const entries = await s.engine.auditSize();
    await accepted(s.send('2023-06-01 10:00', office, 3, { type: 'URGE', message: '请加快推进' }));
    expect(await s.engine.auditSize()).toBe(entries + 1);
    const send = await dispatcher({ smtp: smtp(mailPort) });
    // Then the first round fails both; they wait 10 s (10 s × (0.8 + 0.4 × 0.5)) before the next try
    const [robot, mailbox] = (await deliveries()).map((d) => Number(d.id)) as [number, number];
    expect(await send.tick()).toEqual({ delivered: [], retrying: [robot, mailbox], failed: [] });
    const failed = await deliveries();
    expect(failed.map((d) => [d.status, d.attempts, d.next_attempt_at])).toEqual([
      ['pending', 1, shanghai('2023-06-01 10:00:10')],
      ['pending', 1, shanghai('2023-06-01 10:00:10')],
    ]);
    expect(failed.map((d) => [d.channel, d.last_error])).toEqual([
      ['wecom', 'ECONNREFUSED'],
      ['email', 'ESOCKET'],
    ]);
    expect(logLines.filter((line) => line.includes('notice channel delivery failed'))).toHaveLength(2);
    s.clock.advance(9_999);
    expect(await send.tick()).toEqual({ delivered: [], retrying: [], failed: [] });
    // When both come back on their ports and the wait is over
    const robotBack = await startRobotReceiver(robotPort);
    const mailBack = await startSmtpServer(mailPort);
    closers.push(robotBack.close, mailBack.close);
    s.clock.advance(1);
    // Then both are delivered, once
    expect(await send.tick()).toEqual({ delivered: [robot, mailbox], retrying: [], failed: [] });
    expect(robotBack.requests.map((r) => r.json)).toEqual([
      { msgtype: 'text', text: { content: `【督办】第3项任务\n${(await s.db.selectFrom('notification').select('body').where('unit', '=', '市司法局').executeTakeFirstOrThrow()).body}\n任务编号：oversight-2023.003（发往市司法局）` } },
    ]);
    expect(mailBack.mails).toHaveLength(1);
    expect((await deliveries()).map((d) => [d.status, d.attempts, d.last_error])).toEqual([
      ['delivered', 2, null],
      ['delivered', 2, null],
    ]);
  });

  it('given an SMTP server that accepts and never greets, when a notice is mailed, then each attempt ends at the timeout, is logged and retried, and after the last attempt the delivery is failed in the log', async () => {
    const hanging = await startHangingServer();
    closers.push(hanging.close);
    expect((await put('市司法局', 'email', { address: 'sifaju@example.gov.cn' })).status).toBe(201);
    await accepted(s.send('2023-06-01 10:00', office, 3, { type: 'URGE', message: '请加快推进' }));
    const send = await dispatcher({ smtp: smtp(hanging.port, 300), maxAttempts: 2 });
    const [id] = (await deliveries()).map((d) => Number(d.id)) as [number];
    // When the first round sends: the server takes the connection and says nothing
    expect(await send.tick()).toEqual({ delivered: [], retrying: [id], failed: [] });
    expect(hanging.connections()).toBe(1);
    const first = (await deliveries())[0]!;
    expect(first.last_error).toBe('ETIMEDOUT');
    expect(first.status).toBe('pending');
    // When the wait is over and it hangs again, then this was the last attempt: failed
    s.clock.advance(10_000);
    expect(await send.tick()).toEqual({ delivered: [], retrying: [], failed: [id] });
    expect(hanging.connections()).toBe(2);
    const log = await (await s.request('/api/notice-deliveries?status=failed', { token: office })).json();
    expect(log.items.map((d: { id: number; attempts: number; lastError: string }) => [d.id, d.attempts, d.lastError])).toEqual([[id, 2, 'ETIMEDOUT']]);
    expect(logLines.filter((line) => line.includes('notice channel delivery failed'))).toHaveLength(2);
    // And a failed delivery is not tried again
    s.clock.advance(3_600_000);
    expect(await send.tick()).toEqual({ delivered: [], retrying: [], failed: [] });
  });

  it('given a channel that takes only closings, when the office urges, then nothing is queued for it', async () => {
    const robot = await startRobotReceiver();
    closers.push(robot.close);
    expect((await put('市司法局', 'wecom', { url: `${robot.url}/send?key=k`, kinds: ['CLOSE', 'VERIFY'] })).status).toBe(201);
    await accepted(s.send('2023-06-01 10:00', office, 3, { type: 'URGE', message: '请加快推进' }));
    expect(await deliveries()).toEqual([]);
  });

  it('given a robot that takes only the reporting reminder (REMIND), when the office urges, the reminder comes and the cycle falls due, then the robot is sent the reminder alone', async () => {
    const robot = await startRobotReceiver();
    closers.push(robot.close);
    expect((await put('市司法局', 'wecom', { url: `${robot.url}/send?key=k`, kinds: ['REMIND'] })).status).toBe(201);
    const cycles = await s.request(`/api/plans/${PLAN_ID}/cycles`, { method: 'PUT', token: office, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ frequency: 'monthly', day: 5 }) });
    expect(cycles.status, await cycles.clone().text()).toBe(200);

    await accepted(s.send('2023-05-20 10:00', office, 3, { type: 'URGE', message: '请加快推进' }));
    await s.fire('2023-06-02 09:00');
    await s.fire('2023-06-06 00:00');

    // 市司法局 was sent all three notices, and its robot takes the reminder only
    const notices = await s.db.selectFrom('notification').select(['id', 'type']).where('unit', '=', '市司法局').execute();
    for (const type of ['URGE', 'REMIND', 'CYCLE_DUE']) expect(notices.map((notice) => notice.type)).toContain(type);
    const typeOf = new Map(notices.map((notice) => [Number(notice.id), notice.type]));
    expect((await deliveries()).map((row) => typeOf.get(Number(row.notification_id)))).toEqual(['REMIND']);
    expect((await (await dispatcher({})).tick()).delivered).toHaveLength(1);
    expect(robot.requests).toHaveLength(1);
    expect(JSON.stringify(robot.requests[0]!.json)).toContain('报送提醒');
  });

  it('given two dispatchers on one database, when they run at once, then each send goes out once', async () => {
    const robot = await startRobotReceiver();
    closers.push(robot.close);
    for (const unit of DISTRICTS) expect((await put(unit, 'wecom', { url: `${robot.url}/send?key=${encodeURIComponent(unit)}` })).status).toBe(201);
    await accepted(s.send('2023-06-01 10:00', office, 3, { type: 'URGE', message: '请加快推进' }));
    const [one, two] = [await dispatcher({ batchSize: 2 }), await dispatcher({ batchSize: 2 })];
    const [a, b] = await Promise.all([one.tick(), two.tick()]);
    const [c, d] = await Promise.all([one.tick(), two.tick()]);
    const sent = [a, b, c, d].flatMap((report) => report.delivered);
    expect(sent.sort((x, y) => x - y)).toEqual((await deliveries()).map((row) => Number(row.id)));
    expect(robot.requests.map((r) => r.query.get('key')).sort()).toEqual([...DISTRICTS].sort());
  });
});

describe('notice channels across a restart', () => {
  it('given notices delivered and the server closed, when it opens the same database again and its dispatcher runs, then nothing is sent twice and what was left is sent', async () => {
    const db = await reopenableDatabase();
    const robot = await startRobotReceiver();
    try {
      // Given a robot for 市司法局 and one notice delivered
      const first = await startOversightServer({ db });
      const office = await first.token('office');
      const put = await first.request(`/api/notice-channels/${encodeURIComponent('市司法局')}/wecom`, {
        method: 'PUT',
        token: office,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ url: `${robot.url}/send?key=k` }),
      });
      expect(put.status).toBe(201);
      await accepted(first.send('2023-06-01 10:00', office, 3, { type: 'URGE', message: '请加快推进' }));
      const silent = createLogger({ level: 'silent' });
      const options = { robots: { allowLoopback: true }, random: () => 0.5 };
      expect((await new ChannelDispatcher(first.db, first.engine.store.dialect, first.clock, silent, options).tick()).delivered).toHaveLength(1);
      // and another notice written but not yet sent when the server stops
      await accepted(first.send('2023-06-02 10:00', office, 3, { type: 'URGE', message: '请立即整改' }));
      await first.close();
      // When the database is opened again, as a restarted server does, and its dispatcher runs
      const again = await openDuban(db, { create: false, allowLoopbackRobots: true });
      try {
        const clock = { now: () => new Date(shanghai('2023-06-02 10:01')) };
        const report = await new ChannelDispatcher(again.engine.store.kysely as never, again.engine.store.dialect, clock, silent, options).tick();
        // Then only the second notice goes out; the first is not sent again
        expect(report.delivered).toHaveLength(1);
        expect(robot.requests.map((r) => (r.json as { markdown: { content: string } }).markdown.content.includes('请立即整改'))).toEqual([false, true]);
      } finally {
        await again.close();
      }
    } finally {
      await robot.close();
    }
  });
});

describe('notice channels: bad settings are refused in Chinese and store nothing', () => {
  let s: OversightServer;
  let office: string;
  beforeEach(async () => {
    s = await startOversightServer();
    office = await s.token('office');
  });
  afterEach(() => s.close());
  const put = (unit: string, channel: string, body: unknown, token = office) =>
    s.request(`/api/notice-channels/${encodeURIComponent(unit)}/${channel}`, { method: 'PUT', token, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  it('when a robot URL is not https, points at a private, link-local or unique-local address, or an e-mail address is malformed, then 422 says why in Chinese beside the field', async () => {
    for (const [channel, body, field, message] of [
      ['wecom', { url: 'http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' }, 'body.url', /须使用 https/],
      ['wecom', { url: 'ftp://example.com/x' }, 'body.url', /须以 https:\/\/ 开头/],
      ['wecom', { url: 'not a url' }, 'body.url', /不是完整的网址/],
      ['dingtalk', { url: 'https://10.1.2.3/robot/send?access_token=x' }, 'body.url', /内网、本机或保留地址（10\.1\.2\.3）/],
      ['dingtalk', { url: 'https://192.168.1.10/robot/send' }, 'body.url', /内网/],
      ['dingtalk', { url: 'https://172.20.0.1/robot/send' }, 'body.url', /内网/],
      ['wecom', { url: 'https://169.254.169.254/latest/meta-data' }, 'body.url', /内网/],
      ['wecom', { url: 'https://[fd00::1]/send' }, 'body.url', /内网/],
      ['wecom', { url: 'https://[::ffff:10.0.0.1]/send' }, 'body.url', /内网/],
      ['wecom', { url: 'https://user:pw@example.com/send' }, 'body.url', /用户名或密码/],
      ['dingtalk', { url: 'https://8.8.8.8/robot/send', secret: 'short' }, 'body.secret', /16 至 256/],
      ['email', { address: '王力@example' }, 'body.address', /邮箱地址“王力@example”格式不正确/],
      ['email', { address: 'a@b.cn, c@d.cn' }, 'body.address', /格式不正确/],
      ['email', { address: 'Li <li@example.cn>' }, 'body.address', /格式不正确/],
      ['email', { address: 'li@example.cn', kinds: [] }, 'body.kinds', /至少选择一类通知/],
    ] as const) {
      const response = await put('市司法局', channel, body);
      expect(response.status, JSON.stringify(body)).toBe(422);
      const problem = await problemOf(response);
      expect(problem.title).toBe('通知渠道设置不符合要求');
      const [error] = problem.errors as { path: string; message: string }[];
      expect(error!.path).toBe(field);
      expect(error!.message).toMatch(message);
    }
    expect(await s.db.selectFrom('notice_channel').selectAll().execute()).toEqual([]);
  });

  it('when the unit is unknown or a collective, the channel unknown, the caller a unit, or the body has unknown fields, then 422, 404 or 403 and nothing is stored', async () => {
    const unknown = await put('火星市人民政府', 'email', { address: 'mars@example.cn' });
    expect(unknown.status).toBe(422);
    expect((await problemOf(unknown)).title).toBe('单位不存在或不能单独接收通知');
    const collective = await put('各区人民政府', 'email', { address: 'qu@example.cn' });
    expect(collective.status).toBe(422);
    expect(((await problemOf(collective)).errors as { message: string }[])[0]!.message).toContain('代表多个单位');
    expect((await put('市司法局', 'fax', { address: 'x' })).status).toBe(422);
    expect((await put('市司法局', 'email', { address: 'li@example.cn', cc: 'x@example.cn' })).status).toBe(422);
    const unit = await put('市司法局', 'email', { address: 'li@example.cn' }, await s.token('unit', '市司法局'));
    expect(unit.status).toBe(403);
    expect((await s.request(`/api/notice-channels/${encodeURIComponent('市司法局')}/email`, { method: 'DELETE', token: office })).status).toBe(404);
    expect((await s.request('/api/notice-deliveries', { token: await s.token('unit', '市司法局') })).status).toBe(403);
    expect(await s.db.selectFrom('notice_channel').selectAll().execute()).toEqual([]);
    // A person: unknown account 404; an account without an address cannot be mailed
    const put404 = await s.request('/api/notice-people/9999', { method: 'PUT', token: office, headers: { 'Content-Type': 'application/json' }, body: '{"email":true}' });
    expect(put404.status).toBe(404);
    expect((await problemOf(put404)).title).toBe('账号不存在');
    const noMail = await s.duban.accounts.create({ login: 'zhaoliu', displayName: '赵六', role: 'unit-staff', unit: '市司法局' }, s.clock.now());
    const refused = await s.request(`/api/notice-people/${noMail.id}`, { method: 'PUT', token: office, headers: { 'Content-Type': 'application/json' }, body: '{"email":true}' });
    expect(refused.status).toBe(422);
    expect(((await problemOf(refused)).errors as { message: string }[])[0]!.message).toContain('没有登记有效的邮箱地址');
    expect(await s.db.selectFrom('notice_person').selectAll().execute()).toEqual([]);
  });

  it('given a robot set, when it is set again and then removed, then the URL is replaced (200), then removed (204) with its pending sends cancelled', async () => {
    expect((await put('市司法局', 'wecom', { url: 'https://8.8.8.8/send?key=first' })).status).toBe(201);
    await accepted(s.send('2023-06-01 10:00', office, 3, { type: 'URGE', message: '请加快推进' }));
    const replaced = await put('市司法局', 'wecom', { url: 'https://8.8.4.4/send?key=second-key-1234' });
    expect(replaced.status).toBe(200);
    expect((await replaced.json()).target).toBe('https://8.8.4.4/send?key=****1234');
    const removed = await s.request(`/api/notice-channels/${encodeURIComponent('市司法局')}/wecom`, { method: 'DELETE', token: office });
    expect(removed.status).toBe(204);
    expect((await s.db.selectFrom('notice_delivery').select(['status']).execute()).map((d) => d.status)).toEqual(['cancelled']);
  });
});
