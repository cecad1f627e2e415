import { AccountError } from './account-error.ts';

/** The shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 200;

/**
 * Why a password may not be used by the account `login`, in Chinese, or undefined when it may:
 * at least 10 characters, not the login name (in any case, or reversed), not one repeated character,
 * at most 200 characters. Pure.
 */
export function passwordProblem(password: string, login: string): string | undefined {
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) return `密码至少需要 ${MIN_PASSWORD_LENGTH} 个字符（当前 ${length} 个）。`;
  if (length > MAX_PASSWORD_LENGTH) return `密码不能超过 ${MAX_PASSWORD_LENGTH} 个字符。`;
  const folded = password.toLowerCase();
  const name = login.toLowerCase();
  if (name !== '' && (folded.includes(name) || folded.includes([...name].reverse().join('')))) return '密码不能包含登录名。';
  if (new Set(password).size === 1) return '密码不能由同一个字符重复组成。';
  return undefined;
}

/** Throws an AccountError on the field `field` when the password may not be used. Pure. */
export function checkPassword(password: string, login: string, field = 'password'): void {
  const problem = passwordProblem(password, login);
  if (problem !== undefined) throw new AccountError(field, problem);
}
