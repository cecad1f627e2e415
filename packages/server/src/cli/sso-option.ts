import { readFile } from 'node:fs/promises';
import { isAllowedIssuer } from '../sso/sso-settings.ts';
import type { SsoSettings } from '../sso/sso-settings.ts';
import { UserError } from '../user-error.ts';
import { UsageError } from './usage-error.ts';

/** The flags of single sign-on, each with the environment variable that stands for it when it is not given. */
export const SSO_FLAGS = {
  'oidc-issuer': 'DUBAN_OIDC_ISSUER',
  'oidc-client-id': 'DUBAN_OIDC_CLIENT_ID',
  'oidc-client-secret-file': 'DUBAN_OIDC_CLIENT_SECRET_FILE',
  'oidc-claim': 'DUBAN_OIDC_CLAIM',
  'oidc-redirect-uri': 'DUBAN_OIDC_REDIRECT_URI',
} as const;

type SsoFlag = keyof typeof SSO_FLAGS;

/** The parseArgs options of the single sign-on flags. */
export const ssoFlagOptions = Object.fromEntries(Object.keys(SSO_FLAGS).map((flag) => [flag, { type: 'string' as const }])) as Record<SsoFlag, { type: 'string' }>;

/**
 * Single sign-on as `serve` was told: off when no issuer is given (flag or environment); with one, the
 * client id, the client secret's file (its trailing line breaks dropped; never the secret itself on the
 * command line) and the claim that holds the login name are required. The issuer must be https (plain
 * http only on a loopback address). Usage errors for flags, user errors for the file. Does IO.
 */
export async function ssoOption(values: Partial<Record<SsoFlag, string | undefined>>, env: NodeJS.ProcessEnv = process.env): Promise<SsoSettings | undefined> {
  const read = (flag: SsoFlag): { value: string | undefined; name: string } => {
    const given = values[flag];
    if (given !== undefined) return { value: given.trim(), name: `--${flag}` };
    const fromEnv = env[SSO_FLAGS[flag]];
    return { value: fromEnv === undefined || fromEnv.trim() === '' ? undefined : fromEnv.trim(), name: SSO_FLAGS[flag] };
  };
  const issuerText = read('oidc-issuer');
  const others = (['oidc-client-id', 'oidc-client-secret-file', 'oidc-claim', 'oidc-redirect-uri'] as const).map(read);
  if (issuerText.value === undefined || issuerText.value === '') {
    const stray = others.filter((o) => o.value !== undefined).map((o) => o.name);
    if (stray.length > 0) throw new UsageError(`${stray.join(', ')} given without --oidc-issuer (or DUBAN_OIDC_ISSUER): single sign-on needs its provider`);
    return undefined;
  }
  const [clientId, secretFile, claim, redirect] = others as [ReturnType<typeof read>, ReturnType<typeof read>, ReturnType<typeof read>, ReturnType<typeof read>];
  const issuer = url(issuerText.value, issuerText.name);
  if (!isAllowedIssuer(issuer)) throw new UsageError(`${issuerText.name} must be an https URL (plain http only on a loopback address), got ${issuer.href}`);
  const missing = (['oidc-client-id', 'oidc-client-secret-file', 'oidc-claim'] as const).filter((flag) => read(flag).value === undefined).map((flag) => `--${flag} (or ${SSO_FLAGS[flag]})`);
  if (missing.length > 0) throw new UsageError(`single sign-on through ${issuer.href} also needs ${missing.join(', ')}`);
  if (!/^[A-Za-z_][\w.:-]{0,99}$/.test(claim.value!)) throw new UsageError(`${claim.name} must be a claim name such as preferred_username, got ${JSON.stringify(claim.value)}`);
  return {
    issuer,
    clientId: clientId.value!,
    clientSecret: await secretOf(secretFile.value!, secretFile.name),
    claim: claim.value!,
    ...(redirect.value === undefined ? {} : { redirectUri: url(redirect.value, redirect.name) }),
  };
}

function url(text: string, name: string): URL {
  try {
    const parsed = new URL(text);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed;
  } catch {
    // refused below
  }
  throw new UsageError(`${name} must be an http(s) URL, got ${JSON.stringify(text)}`);
}

async function secretOf(file: string, name: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new UserError(`${name} ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : 'is a directory, not a file'}`);
    throw error;
  }
  const secret = text.replace(/[\r\n]+$/, '');
  if (secret === '') throw new UserError(`${name} ${file} is empty; write the client secret into it`);
  return secret;
}
