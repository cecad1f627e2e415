import { readFile } from 'node:fs/promises';
import type { SmtpSettings } from '../notifications/channels/email-sender.ts';
import { emailAddress } from '../notifications/channels/email-address.ts';
import { UserError } from '../user-error.ts';
import { integer } from './cli-args.ts';
import { UsageError } from './usage-error.ts';

/** The `serve` options of the SMTP relay notices are mailed through. */
export interface SmtpValues {
  readonly 'smtp-host'?: string | undefined;
  readonly 'smtp-port'?: string | undefined;
  readonly 'smtp-user'?: string | undefined;
  readonly 'smtp-password-file'?: string | undefined;
  readonly 'smtp-from'?: string | undefined;
  readonly 'smtp-starttls'?: boolean | undefined;
}

/**
 * The SMTP settings of `serve`, or undefined without `--smtp-host` (then no other --smtp-… may be
 * given). `--smtp-from` is required with a host; the port is 587 with `--smtp-starttls`, else 25; the
 * password is read from `--smtp-password-file` (trailing line breaks dropped), never from the command
 * line, and only with `--smtp-user`. Does IO (the password file).
 */
export async function smtpOption(values: SmtpValues): Promise<SmtpSettings | undefined> {
  const host = values['smtp-host'];
  if (host === undefined) {
    const stray = (['smtp-port', 'smtp-user', 'smtp-password-file', 'smtp-from', 'smtp-starttls'] as const).filter((name) => values[name] !== undefined);
    if (stray.length > 0) throw new UsageError(`--${stray[0]} needs --smtp-host`);
    return undefined;
  }
  if (!/^[A-Za-z0-9.:[\]-]{1,255}$/.test(host)) throw new UsageError(`--smtp-host must be an address or host name, got ${JSON.stringify(host)}`);
  const startTls = values['smtp-starttls'] === true;
  const port = integer(values['smtp-port'], '--smtp-port', 1, 65535, startTls ? 587 : 25);
  const from = values['smtp-from'];
  if (from === undefined) throw new UsageError('--smtp-from ADDRESS is required with --smtp-host (the sender of the notices, e.g. duban@example.gov.cn)');
  const sender = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
  if (emailAddress(sender) === undefined) throw new UsageError(`--smtp-from must be an e-mail address (optionally "名称 <address>"), got ${JSON.stringify(from)}`);
  const user = values['smtp-user'];
  const passwordFile = values['smtp-password-file'];
  if (passwordFile !== undefined && user === undefined) throw new UsageError('--smtp-password-file needs --smtp-user');
  let password: string | undefined;
  if (passwordFile !== undefined) {
    try {
      password = (await readFile(passwordFile, 'utf8')).replace(/[\r\n]+$/, '');
    } catch (error) {
      throw new UserError(`--smtp-password-file ${passwordFile}: ${(error as { code?: string }).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
    }
    if (password === '') throw new UserError(`--smtp-password-file ${passwordFile} is empty; write the password into it`);
  }
  return { host, port, from, startTls, ...(user === undefined ? {} : { user }), ...(password === undefined ? {} : { password }) };
}
