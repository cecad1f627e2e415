import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { channelRetryDelayMs } from '../../src/notifications/channels/channel-backoff.ts';
import { addressClass } from '../../src/notifications/channels/private-address.ts';
import { dingtalkSignedUrl } from '../../src/notifications/channels/robot-message.ts';
import { checkRobotUrl, maskedRobotUrl, RobotUrlRefused } from '../../src/notifications/channels/robot-url.ts';

const production = { allowLoopback: false };
const refusal = async (url: string, policy = production) => {
  try {
    await checkRobotUrl(url, policy);
  } catch (error) {
    if (error instanceof RobotUrlRefused) return error.zh;
    throw error;
  }
  return undefined;
};

describe('robot URLs', () => {
  it('given production settings, when a URL names this machine by name or address, or uses http, then it is refused; with the test flag loopback passes', async () => {
    // localhost is resolved by the system resolver: to a loopback address, which production refuses
    expect(await refusal('https://localhost/robot/send?access_token=x')).toMatch(/^机器人地址指向内网、本机或保留地址（localhost 解析为 (127\.0\.0\.1|::1)）/);
    expect(await refusal('https://127.0.0.1:8443/send')).toMatch(/内网、本机/);
    expect(await refusal('http://127.0.0.1:8080/send')).toMatch(/须使用 https/);
    expect(await refusal('http://127.0.0.1:8080/send', { allowLoopback: true })).toBeUndefined();
    expect(await refusal('http://localhost:8080/send', { allowLoopback: true })).toBeUndefined();
    // Even with the flag, http only to loopback, and never to a private network
    expect(await refusal('http://8.8.8.8/send', { allowLoopback: true })).toMatch(/须使用 https/);
    expect(await refusal('https://10.0.0.8/send', { allowLoopback: true })).toMatch(/内网/);
  });

  it('given a host name, when any address it resolves to is private, then it is refused naming that address; a public one passes', async () => {
    const resolve = async (host: string) => (host === 'robot.example.cn' ? ['203.0.113.9', '172.31.0.5'] : ['203.0.113.9']);
    expect(await refusal('https://robot.example.cn/send', { allowLoopback: false, resolve } as never)).toBe('机器人地址指向内网、本机或保留地址（robot.example.cn 解析为 172.31.0.5），不允许推送到这里');
    expect(await checkRobotUrl('https://oapi.example.cn/robot/send?access_token=t', { allowLoopback: false, resolve })).toBe('https://oapi.example.cn/robot/send?access_token=t');
    const unresolvable = async () => {
      throw new Error('ENOTFOUND');
    };
    expect(await refusal('https://no-such-host.invalid/send', { allowLoopback: false, resolve: unresolvable } as never)).toBe('无法解析机器人地址的主机名“no-such-host.invalid”');
  });

  it('classifies the ranges the brief names', () => {
    expect(['10.1.1.1', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254', 'fc00::1', 'fdff::1', 'fe80::1', '::ffff:192.168.1.1', '0.0.0.0', '100.64.0.1'].map(addressClass)).toEqual(Array(11).fill('private'));
    expect(['127.0.0.1', '127.8.8.8', '::1'].map(addressClass)).toEqual(['loopback', 'loopback', 'loopback']);
    expect(['8.8.8.8', '172.32.0.1', '172.15.255.255', '2001:4860:4860::8888'].map(addressClass)).toEqual(['public', 'public', 'public', 'public']);
    expect(() => addressClass('example.cn')).toThrow(/not an IP address/);
  });

  it('masks every query value but its last 4 characters', () => {
    expect(maskedRobotUrl('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa')).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****5aaa');
    expect(maskedRobotUrl('https://oapi.dingtalk.com/robot/send?access_token=short')).toBe('https://oapi.dingtalk.com/robot/send?access_token=****');
  });
});

describe('钉钉 signature and the backoff', () => {
  it('signs the URL with timestamp and the URL-encoded base64 HMAC-SHA256 of "timestamp\\nsecret"', () => {
    const secret = 'SEC000000000000000000000000000000000000000000000000000000000000000';
    const signed = new URL(dingtalkSignedUrl('https://oapi.dingtalk.com/robot/send?access_token=t', secret, 1_700_000_000_000));
    const expected = createHmac('sha256', secret).update(`1700000000000\n${secret}`).digest('base64');
    expect(signed.searchParams.get('timestamp')).toBe('1700000000000');
    expect(signed.searchParams.get('sign')).toBe(expected);
    // In the URL itself the base64 is percent-encoded
    expect(signed.href).toContain(`sign=${encodeURIComponent(expected)}`);
  });

  it('doubles from 10 s up to an hour, within ±20 % jitter', () => {
    expect([1, 2, 3, 4].map((n) => channelRetryDelayMs(n, 0.5))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(channelRetryDelayMs(1, 0)).toBe(8_000);
    expect(channelRetryDelayMs(1, 0.999999)).toBe(12_000);
    expect(channelRetryDelayMs(20, 0.5)).toBe(3_600_000);
    expect(() => channelRetryDelayMs(1, 1)).toThrow(/random must be in/);
  });
});
