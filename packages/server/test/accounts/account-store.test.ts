import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDuban } from '../../src/app/open-duban.ts';
import type { Duban } from '../../src/app/open-duban.ts';
import { AccountError } from '../../src/accounts/account-error.ts';
import { passwordProblem } from '../../src/accounts/password-policy.ts';
import { countSignInAttempt, SIGN_IN_LIMITS } from '../../src/accounts/sign-in-throttle.ts';
import { freshDatabase } from '../../../engine/test/support/test-database.ts';

const at = new Date('2023-05-10T01:00:00Z');
const later = (ms: number) => new Date(at.getTime() + ms);
const PASSWORD = 'Karamay-2023-ok';

/** The Chinese message of the AccountError `run` throws, and its field. */
async function refusal(run: () => Promise<unknown>): Promise<{ field: string; message: string }> {
  try {
    await run();
  } catch (error) {
    if (error instanceof AccountError) return { field: error.field, message: error.message };
    throw error;
  }
  throw new Error('expected an AccountError');
}

describe('accounts', () => {
  let duban: Duban;
  beforeEach(async () => {
    duban = await openDuban(await freshDatabase(), { create: true });
  });
  afterEach(() => duban.close());

  const districtStaff = () =>
    duban.accounts.create({ login: 'Wang.Li', displayName: '王力', phone: '0990-1234567', email: 'wangli@example.cn', role: 'unit-staff', unit: '独山子区人民政府', password: PASSWORD }, at);

  it('given a district government\'s staff, when the account is made, then its login is lower case, its unit canonical, its password an argon2id hash, and it signs in as that unit', async () => {
    const account = await districtStaff();
    expect(account).toMatchObject({ login: 'wang.li', displayName: '王力', unit: '独山子区人民政府', role: 'unit-staff', mustChangePassword: true, hasPassword: true, disabledAt: null });
    const row = await duban.engine.store.kysely.selectFrom('account').selectAll().executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(row)).not.toContain(PASSWORD);
    const signedIn = await duban.accounts.checkSignIn('WANG.LI', PASSWORD);
    expect(await duban.accounts.principalOf(signedIn.id)).toEqual({ tokenId: 0, role: 'unit', unit: '独山子区人民政府', account: { id: account.id, name: '王力' } });
  });

  it('given an alias of a unit, when an account is made in it, then it belongs to the canonical name', async () => {
    const account = await duban.accounts.create({ login: 'gjj', displayName: '公积金', role: 'unit-staff', unit: '市住房公积金中心' }, at);
    expect(account.unit).toBe('市住房公积金管理中心');
    expect(account.hasPassword).toBe(false);
  });

  it.each([
    ['an existing login name in another case', { login: 'WANG.LI', unit: '市水务局' }, 'login', '登录名“wang.li”已被使用'],
    ['an unknown unit', { login: 'zhang', unit: '市宇宙局' }, 'unit', '单位名录中没有“市宇宙局”'],
    ['a collective of units', { login: 'zhang', unit: '各区人民政府' }, 'unit', '代表多个单位'],
    ['a collective without members', { login: 'zhang', unit: '市级各有关部门' }, 'unit', '统称'],
    ['no unit for a unit\'s staff', { login: 'zhang', unit: '' }, 'unit', '须属于一个单位'],
    ['a malformed login name', { login: '张三', unit: '市水务局' }, 'login', '登录名须为'],
    ['a short password', { login: 'zhang', unit: '市水务局', password: 'short1' }, 'password', '至少需要 10 个字符'],
    ['a password holding the login name', { login: 'zhangsan', unit: '市水务局', password: 'zhangsan2023' }, 'password', '不能包含登录名'],
  ])('given %s, when an account is made, then it is refused in Chinese and nothing is written', async (_what, spec, field, message) => {
    await districtStaff();
    const refused = await refusal(() => duban.accounts.create({ displayName: '张三', role: 'unit-staff', ...spec }, at));
    expect(refused.field).toBe(field);
    expect(refused.message).toContain(message);
    expect(await duban.accounts.list()).toHaveLength(1);
  });

  it('given passwords, when checked against the policy, then length, the login name and one repeated character are refused', () => {
    expect(passwordProblem('abcdefghi', 'x1')).toContain('至少需要 10 个字符');
    expect(passwordProblem('my-ilgnaw-pass', 'wangli')).toContain('不能包含登录名');
    expect(passwordProblem('aaaaaaaaaaaa', 'x1')).toContain('同一个字符');
    expect(passwordProblem('Karamay-2023-ok', 'wangli')).toBeUndefined();
  });

  it('given a wrong password or an unknown name, when one signs in, then both are refused with the same message', async () => {
    await districtStaff();
    const wrong = await refusal(() => duban.accounts.checkSignIn('wang.li', 'not-the-password'));
    const unknown = await refusal(() => duban.accounts.checkSignIn('nobody', PASSWORD));
    expect(wrong).toEqual(unknown);
    expect(wrong.message).toBe('登录名或密码不正确。');
  });

  it('given an account with a token and a session, when it is disabled, then it cannot sign in and its token and session stop at once', async () => {
    const account = await districtStaff();
    const { token } = await duban.tokens.create({ role: 'unit', unit: account.unit, accountId: account.id }, at);
    expect((await duban.tokens.authenticate(token, at))?.account).toEqual({ id: account.id, name: '王力' });
    const session = await duban.sessions.create((await duban.accounts.principalOf(account.id))!, at);

    expect(await duban.accounts.setDisabled(account.id, true, later(1000))).toBe(true);

    expect(await duban.tokens.authenticate(token, later(2000))).toBeUndefined();
    expect(await duban.sessions.find(session.id, later(2000))).toBeUndefined();
    expect((await refusal(() => duban.accounts.checkSignIn('wang.li', PASSWORD))).message).toContain('已停用');
    // Enabling it again gives back the sign-in, not the ended token.
    await duban.accounts.setDisabled(account.id, false, later(3000));
    await duban.accounts.checkSignIn('wang.li', PASSWORD);
    expect(await duban.tokens.authenticate(token, later(4000))).toBeUndefined();
  });

  it('given an account with a session, when it is moved to another unit, then the session ends and it signs in again for the new unit only', async () => {
    const account = await districtStaff();
    const session = await duban.sessions.create((await duban.accounts.principalOf(account.id))!, at);
    const { after } = await duban.accounts.update(account.id, { unit: '克拉玛依区人民政府' }, later(1000));
    expect(after.unit).toBe('克拉玛依区人民政府');
    expect(await duban.sessions.find(session.id, later(2000))).toBeUndefined();
    expect((await duban.accounts.principalOf(account.id))?.unit).toBe('克拉玛依区人民政府');
  });

  it('given a one-time code, when it is redeemed, then the password is set and the code cannot be used a second time, nor late', async () => {
    const account = await duban.accounts.create({ login: 'admin1', displayName: '管理员', role: 'admin' }, at);
    const { code } = await duban.accounts.issueResetCode(account.id, at);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const weak = await refusal(() => duban.accounts.redeemResetCode('admin1', code, 'admin1admin1', later(1000)));
    expect(weak.field).toBe('password');
    const redeemed = await duban.accounts.redeemResetCode('admin1', code.toLowerCase().replaceAll('-', ' '), PASSWORD, later(1000));
    expect(redeemed.mustChangePassword).toBe(false);
    await duban.accounts.checkSignIn('admin1', PASSWORD);
    expect((await refusal(() => duban.accounts.redeemResetCode('admin1', code, 'Another-pass-9', later(2000)))).message).toContain('已使用或已过期');
    await duban.accounts.checkSignIn('admin1', PASSWORD);

    const late = await duban.accounts.issueResetCode(account.id, later(3000));
    expect((await refusal(() => duban.accounts.redeemResetCode('admin1', late.code, 'Another-pass-9', later(3000 + 25 * 3_600_000)))).field).toBe('code');
    await duban.accounts.checkSignIn('admin1', PASSWORD);
  });

  it('given many sign-in attempts at one name, when the limit is passed, then the next is refused in Chinese before any password is checked', async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i += 1) await countSignInAttempt(duban.signInLimits, `10.0.0.${i}`, 'wang.li', at);
    const refused = await refusal(() => countSignInAttempt(duban.signInLimits, '10.0.1.1', 'Wang.Li', at));
    expect(refused.message).toContain('该账号登录尝试过于频繁');
    await countSignInAttempt(duban.signInLimits, '10.0.1.1', 'someone.else', at);
  });
});
