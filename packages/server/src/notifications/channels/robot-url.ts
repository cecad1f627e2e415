import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { addressClass } from './private-address.ts';

/** A robot URL refused, with the reason in Chinese for the person who typed it. */
export class RobotUrlRefused extends Error {
  constructor(readonly zh: string) {
    super(zh);
    this.name = 'RobotUrlRefused';
  }
}

export interface RobotUrlPolicy {
  /** Tests and development only: allow http:// and https:// to loopback receivers (127.0.0.1, ::1, localhost). */
  readonly allowLoopback: boolean;
  /** Resolves a host name to its addresses; the system resolver by default. */
  readonly resolve?: (host: string) => Promise<string[]>;
}

const systemResolve = async (host: string): Promise<string[]> => (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * Checks a group robot's webhook URL and returns it normalised: absolute https (http only to loopback
 * when the policy allows loopback), no user name or password, no fragment, at most 2000 characters, and
 * every address its host resolves to public — never a private, link-local, unique-local or (unless
 * allowed) loopback address, so a robot cannot be aimed into the server's own network. Called when the
 * URL is set and again before each send (the name may resolve elsewhere by then). Does IO (DNS);
 * throws RobotUrlRefused.
 */
export async function checkRobotUrl(text: string, policy: RobotUrlPolicy): Promise<string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RobotUrlRefused(`机器人地址“${text.slice(0, 200)}”不是完整的网址，应形如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RobotUrlRefused(`机器人地址须以 https:// 开头，不能使用 ${url.protocol.replace(/:$/, '')}`);
  if (url.username !== '' || url.password !== '') throw new RobotUrlRefused('机器人地址中不能含用户名或密码');
  if (url.hash !== '') throw new RobotUrlRefused('机器人地址中不能含 # 片段');
  if (url.href.length > 2000) throw new RobotUrlRefused('机器人地址超过 2000 个字符');
  const httpsOnly = new RobotUrlRefused('机器人地址须使用 https://（http 只在测试时用于本机）');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const loopbackName = host === 'localhost' || (isIP(host) !== 0 && addressClass(host) === 'loopback');
  if (url.protocol === 'http:' && !(policy.allowLoopback && loopbackName)) throw httpsOnly;
  let addresses: string[];
  if (isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = await (policy.resolve ?? systemResolve)(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) throw new RobotUrlRefused(`无法解析机器人地址的主机名“${host}”`);
  }
  const classes = addresses.map((address) => ({ address, kind: addressClass(address) }));
  const internal = classes.find((entry) => entry.kind === 'private' || (entry.kind === 'loopback' && !policy.allowLoopback));
  if (internal !== undefined) {
    const resolved = internal.address === host ? internal.address : `${host} 解析为 ${internal.address}`;
    throw new RobotUrlRefused(`机器人地址指向内网、本机或保留地址（${resolved}），不允许推送到这里`);
  }
  const loopbackOnly = classes.every((entry) => entry.kind === 'loopback');
  if (url.protocol === 'http:' && !loopbackOnly) throw httpsOnly;
  return url.href;
}

/** The URL with each query value masked but its last 4 characters (robots carry their access token there). Pure. */
export function maskedRobotUrl(href: string): string {
  const url = new URL(href);
  for (const [name, value] of [...url.searchParams]) url.searchParams.set(name, value.length > 8 ? `****${value.slice(-4)}` : '****');
  return url.href.replace(/%2A/g, '*');
}
