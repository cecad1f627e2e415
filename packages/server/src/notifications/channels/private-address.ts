import { BlockList, isIP } from 'node:net';

const privateRanges = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) privateRanges.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) privateRanges.addSubnet(network, prefix, 'ipv6');

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** What an IP address is, for deciding whether a robot may be sent to it. */
export type AddressClass = 'public' | 'loopback' | 'private';

/**
 * Classifies an IP address (v4, v6, or v4 mapped into v6): `loopback` (127/8, ::1), `private` (10/8,
 * 172.16/12, 192.168/16, 169.254/16, 100.64/10, fc00::/7, fe80::/10, multicast, unspecified, reserved)
 * or `public`. Throws an Error for text that is no IP address. Pure.
 */
export function addressClass(address: string): AddressClass {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip);
  if (family === 0) throw new Error(`not an IP address: ${JSON.stringify(address)}`);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (loopback.check(ip, type)) return 'loopback';
  return privateRanges.check(ip, type) ? 'private' : 'public';
}
