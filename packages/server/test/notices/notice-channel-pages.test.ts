import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/create-logger.ts';
import { ChannelDispatcher } from '../../src/notifications/channels/channel-dispatcher.ts';
import type { OversightServer } from '../oversight/support/oversight-server.ts';
import { accepted, startOversightServer } from '../oversight/support/oversight-server.ts';
import { textOf, WebClient } from '../web/support/web-client.ts';
import { startRobotReceiver } from './channel-receivers.ts';

describe('the 通知渠道 and 推送记录 pages', () => {
  let s: OversightServer;
  let office: WebClient;
  beforeEach(async () => {
    s = await startOversightServer();
    office = new WebClient(s.url);
    await office.signIn(await s.token('office'));
  });
  afterEach(() => s.close());

  it('given the office, when it sets a robot to a private address and a bad mailbox, then the page answers 422 with the Chinese reason beside the field and stores nothing; a good robot is listed masked', async () => {
    expect((await office.get('/notice-channels')).status).toBe(200);
    // When it aims a 钉钉 robot into the private network
    const privateRobot = await office.post('/notice-channels', { unit: '市司法局', channel: 'dingtalk', target: 'https://192.168.3.4/robot/send?access_token=x', secret: '', format: 'markdown' });
    expect(privateRobot.status).toBe(422);
    expect(privateRobot.body).toMatch(/<p class="field-error" id="channel-target-error">机器人地址指向内网、本机或保留地址（192\.168\.3\.4）/);
    expect(privateRobot.body).toContain('value="https://192.168.3.4/robot/send?access_token=x"');
    // When it types a mailbox that is no address, or a unit that does not exist
    const badMail = await office.get('/notice-channels').then(() => office.post('/notice-channels', { unit: '市司法局', channel: 'email', target: 'sifaju@', secret: '', format: 'markdown' }));
    expect(badMail.status).toBe(422);
    expect(textOf(badMail.body)).toContain('邮箱地址“sifaju@”格式不正确');
    const badUnit = await office.get('/notice-channels').then(() => office.post('/notice-channels', { unit: '火星局', channel: 'email', target: 'a@b.cn', secret: '', format: 'markdown' }));
    expect(badUnit.status).toBe(422);
    expect(badUnit.body).toMatch(/id="channel-unit-error">单位“火星局”不在单位名录中/);
    expect(await s.db.selectFrom('notice_channel').selectAll().execute()).toEqual([]);

    // When it sets a good robot (loopback, as tests allow) taking only closings, verifications and the reporting cycles' reminder and 催报
    const robot = await startRobotReceiver();
    try {
      const form = await office.get('/notice-channels');
      for (const kind of ['CLOSE', 'REMIND', 'CYCLE_DUE']) expect(form.body).toContain(`name="kinds" value="${kind}"`);
      const saved = await office.post('/notice-channels', { unit: '市司法局', channel: 'wecom', target: `${robot.url}/send?key=secret-robot-key-9876`, secret: '', format: 'text', kinds: ['CLOSE', 'VERIFY', 'REMIND', 'CYCLE_DUE'] });
      expect(saved.status).toBe(200);
      const text = textOf(saved.body);
      expect(text).toContain('已设置市司法局的企业微信群机器人');
      expect(text).toContain(`${robot.url}/send?key=****9876`);
      expect(text).toContain('核验通过、销号、报送提醒、催报');
      expect(saved.body).not.toContain('secret-robot-key-9876');
    } finally {
      await robot.close();
    }
  });

  it('given a failed robot send, when the office opens 推送记录, then it sees the unit, the notice, the state and the error; a unit may open neither page', async () => {
    const unitClient = new WebClient(s.url);
    await unitClient.signIn(await s.token('unit', '市司法局'));
    expect((await unitClient.get('/notice-channels')).status).toBe(403);
    expect((await unitClient.get('/notice-deliveries')).status).toBe(403);
    // Given a robot that answers with an error code
    const robot = await startRobotReceiver(0, () => 310000);
    try {
      await office.get('/notice-channels');
      expect((await office.post('/notice-channels', { unit: '市司法局', channel: 'dingtalk', target: `${robot.url}/robot/send?access_token=t`, secret: '', format: 'markdown' })).status).toBe(200);
      await accepted(s.send('2023-06-01 10:00', await s.token('office'), 3, { type: 'URGE', message: '请加快推进' }));
      const report = await new ChannelDispatcher(s.db, s.engine.store.dialect, s.clock, createLogger({ level: 'silent' }), { robots: { allowLoopback: true }, random: () => 0 }).tick();
      expect(report.retrying).toHaveLength(1);
    } finally {
      await robot.close();
    }
    // When the office opens the log (signed in anew: the clock has moved on by weeks)
    await office.signIn(await s.token('office'));
    const page = await office.get('/notice-deliveries?status=pending&channel=dingtalk');
    expect(page.status).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain('市司法局');
    expect(text).toContain('【督办】第3项任务');
    expect(text).toContain('待发送');
    expect(text).toContain('errcode 310000: token is invalid');
    expect(textOf((await office.get('/notice-deliveries?status=delivered')).body)).toContain('没有符合条件的推送');
  });

  it('given an account with an e-mail, when the office turns its mail on, then the page says so and the setting is stored', async () => {
    const person = await s.duban.accounts.create({ login: 'wangli', displayName: '王力', role: 'unit-staff', unit: '市司法局', email: 'wangli@example.gov.cn' }, s.clock.now());
    const page = await office.get('/notice-channels');
    expect(textOf(page.body)).toContain('wangli@example.gov.cn');
    const on = await office.post(`/notice-people/${person.id}`, { email: 'on' });
    expect(on.status).toBe(200);
    expect(textOf(on.body)).toContain('王力将收到本单位的通知邮件');
    expect((await s.db.selectFrom('notice_person').selectAll().execute()).map((p) => [Number(p.account_id), Number(p.email)])).toEqual([[person.id, 1]]);
    // When a notice is queued for the person and the office then turns the mail off, the mail not yet sent is cancelled
    await accepted(s.send('2023-05-10 10:00', await s.token('office'), 3, { type: 'URGE', message: '请加快推进' }));
    expect((await s.db.selectFrom('notice_delivery').select(['recipient', 'status']).execute())).toEqual([{ recipient: 'wangli@example.gov.cn', status: 'pending' }]);
    await office.get('/notice-channels');
    const off = await office.post(`/notice-people/${person.id}`, { email: 'off' });
    expect(textOf(off.body)).toContain('王力不再收到本单位的通知邮件');
    expect((await s.db.selectFrom('notice_delivery').select(['recipient', 'status']).execute())).toEqual([{ recipient: 'wangli@example.gov.cn', status: 'cancelled' }]);
  });
});
