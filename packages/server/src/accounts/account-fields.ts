import type { UnitRegistry } from '@duban/plan';
import { AccountError } from './account-error.ts';
import { principalRoleOf } from './account-roles.ts';
import type { AccountRole } from './account-roles.ts';

/** What the accounts need of the unit registry. */
export type AccountUnits = Pick<UnitRegistry, 'get' | 'membersOf'>;

/** 2 to 32 letters, digits, `.`, `_` or `-`, starting with a letter or digit; stored in lower case. */
const LOGIN = /^[a-z0-9][a-z0-9._-]{1,31}$/;
const PHONE = /^\+?[0-9][0-9 -]{4,19}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{1,60}$/;

/** A login name as stored (trimmed, lower case), or an AccountError in Chinese. Pure. */
export function loginName(text: string): string {
  const login = text.trim().toLowerCase();
  if (!LOGIN.test(login)) throw new AccountError('login', '登录名须为 2 至 32 个字母、数字或 . _ -，并以字母或数字开头。');
  return login;
}

/** A display name: 1 to 40 characters after trimming. Pure. */
export function displayName(text: string): string {
  const name = text.trim();
  if (name.length === 0 || [...name].length > 40) throw new AccountError('displayName', '姓名须为 1 至 40 个字符。');
  return name;
}

/** An optional phone number: empty is none. Pure. */
export function phoneNumber(text: string | undefined): string | null {
  const phone = (text ?? '').trim();
  if (phone === '') return null;
  if (!PHONE.test(phone)) throw new AccountError('phone', '电话号码格式不正确（只能包含数字、空格、- 和开头的 +）。');
  return phone;
}

/** An optional e-mail address: empty is none. Pure. */
export function emailAddress(text: string | undefined): string | null {
  const email = (text ?? '').trim();
  if (email === '') return null;
  if (!EMAIL.test(email)) throw new AccountError('email', '电子邮箱格式不正确。');
  return email;
}

/**
 * The unit an account of `role` belongs to, by its canonical name in the registry: required for a
 * unit's staff, optional for the others; an unknown name and a collective (各区人民政府, which stands
 * for several units) are refused. Pure over the registry.
 */
export function accountUnit(units: AccountUnits, role: AccountRole, text: string | null | undefined): string | null {
  const name = (text ?? '').trim();
  if (name === '') {
    if (principalRoleOf[role] === 'unit') throw new AccountError('unit', '责任单位经办人须属于一个单位，请填写单位名称。');
    return null;
  }
  const unit = units.get(name);
  if (unit === undefined) throw new AccountError('unit', `单位名录中没有“${name}”，请核对单位全称或简称。`);
  const members = units.membersOf(unit.name);
  if (members.length > 0) throw new AccountError('unit', `“${unit.name}”代表多个单位，账号只能属于其中一个：${members.join('、')}。`);
  if (unit.kind === 'collective') throw new AccountError('unit', `“${unit.name}”是对多个单位的统称，账号只能属于一个具体单位。`);
  return unit.name;
}
