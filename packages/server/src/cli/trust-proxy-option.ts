import express from 'express';
import { integer } from './cli-args.ts';
import { UsageError } from './usage-error.ts';

/** The environment variable that stands for `--trust-proxy` when it is not given. */
export const TRUST_PROXY_ENV = 'DUBAN_TRUST_PROXY';

/**
 * `--trust-proxy`, else DUBAN_TRUST_PROXY: Express's `trust proxy` setting, so that behind a
 * TLS-terminating reverse proxy `X-Forwarded-Proto` and `X-Forwarded-For` are believed from it. A hop
 * count, or a comma-separated list of addresses, subnets and the names loopback, linklocal,
 * uniquelocal; undefined (off) when neither is given, or 0. `true` is refused: it would believe any client.
 */
export function trustProxyOption(value: string | undefined): number | string | undefined {
  const [text, flag] = value === undefined ? [process.env[TRUST_PROXY_ENV], TRUST_PROXY_ENV] : [value, '--trust-proxy'];
  if (text === undefined || text === '') return undefined;
  if (/^true$/i.test(text.trim())) {
    throw new UsageError(
      `${flag} true would trust every proxy: any client could then forge X-Forwarded-For, the address duban knows it by (web sign-in attempts are rate limited per address), and X-Forwarded-Proto; name the proxies instead, e.g. loopback or 10.0.0.5, or give their number`,
    );
  }
  if (/^\d+$/.test(text)) {
    const hops = integer(text, flag, 0, 100, 0);
    return hops === 0 ? undefined : hops;
  }
  const list = text.split(',').map((part) => part.trim()).join(',');
  try {
    // Express compiles the setting as it is set, so it refuses here what it could not use.
    express().set('trust proxy', list);
  } catch (error) {
    throw new UsageError(`${flag} must be a hop count, or addresses and subnets (or loopback, linklocal, uniquelocal) separated by commas, got ${JSON.stringify(text)}: ${(error as Error).message}`);
  }
  return list;
}

/** What a `trust proxy` setting believes, said for the start-up message. */
export function trustedProxies(setting: number | string): string {
  return `trusting X-Forwarded-Proto and X-Forwarded-For from ${typeof setting === 'number' ? `the nearest ${setting} hop(s)` : setting}`;
}
