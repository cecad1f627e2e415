import { readFile, stat } from 'node:fs/promises';
import { MIN_SECRET_LENGTH } from '../notifications/webhooks/webhook-store.ts';
import { UserError } from '../user-error.ts';
import type { CliIo } from './cli-io.ts';
import { UsageError } from './usage-error.ts';

/** The environment variable `webhook set` reads the secret from. */
export const WEBHOOK_SECRET_ENV = 'DUBAN_WEBHOOK_SECRET';

/**
 * The secret of `webhook set`, from exactly one of `--secret-file FILE` (trailing line breaks
 * dropped), DUBAN_WEBHOOK_SECRET or `--secret S`; the last is warned against, since other users of the
 * machine can read a command line; so is a secret file that users other than its owner may read.
 * None or several, or a bad secret on the command line or in the environment: a usage error; a file
 * missing, empty or holding a bad secret: a user error. Does IO.
 */
export async function webhookSecretOption(
  values: { readonly secret?: string | undefined; readonly 'secret-file'?: string | undefined },
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const fromEnv = env[WEBHOOK_SECRET_ENV];
  const given = [
    values['secret-file'] === undefined ? undefined : '--secret-file',
    fromEnv === undefined || fromEnv === '' ? undefined : WEBHOOK_SECRET_ENV,
    values.secret === undefined ? undefined : '--secret',
  ].filter((source) => source !== undefined);
  if (given.length === 0) throw new UsageError(`the webhook secret is required: --secret-file FILE (or ${WEBHOOK_SECRET_ENV})`);
  if (given.length > 1) throw new UsageError(`give the webhook secret one way only, not ${given.join(' and ')}`);
  if (values.secret !== undefined) {
    const secret = checked(values.secret, '--secret', UsageError);
    io.err(`duban: warning: --secret is visible to other users of this machine (process list, shell history); use --secret-file FILE or ${WEBHOOK_SECRET_ENV}`);
    return secret;
  }
  if (fromEnv !== undefined && fromEnv !== '') return checked(fromEnv, WEBHOOK_SECRET_ENV, UsageError);
  const file = values['secret-file']!;
  if (file === '') throw new UsageError('--secret-file needs a file name');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') throw new UserError(`--secret-file ${file}: no such file`);
    if (code === 'EACCES') throw new UserError(`--secret-file ${file}: permission denied`);
    if (code === 'EISDIR') throw new UserError(`--secret-file ${file}: is a directory, not a file`);
    throw error;
  }
  // `echo S > FILE` and editors end the file with a line break; it is not part of the secret.
  const secret = text.replace(/[\r\n]+$/, '');
  if (secret === '') throw new UserError(`--secret-file ${file} is empty; write the secret into it`);
  const checkedSecret = checked(secret, `the secret in --secret-file ${file}`, UserError);
  const mode = (await stat(file)).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    io.err(`duban: warning: --secret-file ${file} can be read by other users of this machine (mode ${mode.toString(8).padStart(4, '0')}); chmod 600 ${file}`);
  }
  return checkedSecret;
}

function checked(secret: string, source: string, Failure: typeof UsageError | typeof UserError): string {
  if (secret.length < MIN_SECRET_LENGTH || secret.length > 256 || !/^[\x21-\x7E]+$/.test(secret)) {
    throw new Failure(`${source} must be ${MIN_SECRET_LENGTH} to 256 printable ASCII characters without spaces`);
  }
  return secret;
}
