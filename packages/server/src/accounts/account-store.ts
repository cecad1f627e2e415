import { createHash, randomBytes, randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Actor, StoreTransaction } from '@duban/engine';
import type { AccountFacts, OrganisationEventType, OrganisationPayloads } from '@duban/organisation';
import type { Kysely, Selectable } from 'kysely';
import type { AccountTable, ServerDatabase } from '../db/server-tables.ts';
import type { Principal } from '../auth/principal.ts';
import type { OrganisationLog } from '../units/organisation-log.ts';
import { AccountError } from './account-error.ts';
import type { AccountUnits } from './account-fields.ts';
import { accountUnit, displayName, emailAddress, loginName, phoneNumber } from './account-fields.ts';
import { isAccountRole, principalRoleOf } from './account-roles.ts';
import type { AccountRole } from './account-roles.ts';
import { checkPassword } from './password-policy.ts';

/** An account as listed and shown: never its password hash. */
export interface Account {
  readonly id: number;
  readonly login: string;
  readonly displayName: string;
  readonly phone: string | null;
  readonly email: string | null;
  readonly unit: string | null;
  readonly role: AccountRole;
  readonly mustChangePassword: boolean;
  readonly hasPassword: boolean;
  readonly disabledAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What a new account is made of; the fields as typed (they are checked here). */
export interface AccountSpec {
  readonly login: string;
  readonly displayName: string;
  readonly phone?: string | undefined;
  readonly email?: string | undefined;
  readonly role: AccountRole;
  readonly unit?: string | null | undefined;
  /** An initial password (checked against the policy); none: the person signs in first with a one-time code. */
  readonly password?: string | undefined;
  /** Must the password be changed at the first sign-in? Yes unless said otherwise. */
  readonly mustChangePassword?: boolean;
}

/** What an admin may change of an account. */
export interface AccountChanges {
  readonly displayName?: string | undefined;
  readonly phone?: string | undefined;
  readonly email?: string | undefined;
  readonly role?: AccountRole | undefined;
  readonly unit?: string | null | undefined;
}

/** How long a one-time sign-in code an admin issued stays usable. */
export const RESET_CODE_TTL_MS = 24 * 3_600_000;

/** Ends every session and token of an account (the session and token stores know how). */
export interface AccessRevoker {
  /** Deletes the account's sessions and revokes its tokens on `db`, the caller's transaction. */
  endAccountAccess(db: Kysely<ServerDatabase>, accountId: number, at: Date): Promise<void>;
  /** Once that has committed: drops what was remembered of tokens. */
  forget(): void;
}

/** The facts of an account an organisation entry records: never a password, hash or code. */
function factsOf(account: Pick<Account, 'login' | 'displayName' | 'role' | 'unit'> & { readonly id?: number }): AccountFacts {
  return { ...(account.id === undefined ? {} : { id: account.id }), login: account.login, displayName: account.displayName, role: account.role, unit: account.unit };
}

type AccountRow = Selectable<AccountTable>;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A one-time code as people type it: 12 characters of an alphabet without 0/O and 1/I/L, in groups of 4. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
function newResetCode(): string {
  const chars = Array.from({ length: 12 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]!);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4, 8).join('')}-${chars.slice(8).join('')}`;
}
/** A code as typed, folded to the stored form: upper case, groups joined by `-`. Pure. */
function foldCode(text: string): string {
  const bare = text.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return bare.length === 12 ? `${bare.slice(0, 4)}-${bare.slice(4, 8)}-${bare.slice(8)}` : bare;
}

/**
 * People's accounts in the `account` table (server migration 0006): login names unique in lower
 * case, a unit from the unit registry, passwords only as argon2id hashes, one-time sign-in codes
 * only as their SHA-256. A change that takes away what an account could reach (disabling it, moving
 * it to another unit, another role) ends its sessions and tokens at once. Refusals are AccountErrors
 * in Chinese and change nothing. Does IO on the store's database.
 */
export class AccountStore {
  /** A hash to verify against for unknown login names, so that they take as long as known ones. */
  private decoy: Promise<string> | undefined;

  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly units: AccountUnits,
    private readonly access: AccessRevoker,
    private readonly organisation: OrganisationLog,
  ) {}

  /**
   * Runs `work` in one transaction. `by` (the admin acting, or the console's admin) makes it an
   * organisation entry naming them: the change and its audit entry then commit together. Without
   * `by` (a person's own sign-in or password, `start`'s first admin) no entry is written.
   */
  private async write<T extends OrganisationEventType>(
    by: Actor | undefined,
    audit: () => { type: T; payload: OrganisationPayloads[T] },
    at: Date,
    work: (db: Kysely<ServerDatabase>) => Promise<void>,
  ): Promise<void> {
    if (by === undefined) {
      await this.db.transaction().execute((tx) => work(tx));
      this.access.forget();
      return;
    }
    const { type, payload } = audit();
    await this.organisation.record(type, payload, by, at, async (tx: StoreTransaction) => {
      await work(tx.kysely as Kysely<ServerDatabase>);
      tx.afterCommit(() => this.access.forget());
    });
  }

  /** Makes an account; with `by`, an audited CREATE_ACCOUNT of the organisation. */
  async create(spec: AccountSpec, at: Date, by?: Actor): Promise<Account> {
    if (!isAccountRole(spec.role)) throw new AccountError('role', '请选择账号角色。');
    const login = loginName(spec.login);
    const row = {
      login,
      display_name: displayName(spec.displayName),
      phone: phoneNumber(spec.phone),
      email: emailAddress(spec.email),
      unit: accountUnit(this.units, spec.role, spec.unit),
      role: spec.role,
      password_hash: null as string | null,
      must_change: spec.mustChangePassword === false ? 0 : 1,
      disabled_at: null,
      created_at: at.toISOString(),
      updated_at: at.toISOString(),
    };
    if (spec.password !== undefined) {
      checkPassword(spec.password, login);
      row.password_hash = await hash(spec.password);
    }
    if ((await this.byLogin(login)) !== undefined) throw duplicate(login);
    try {
      let id = 0;
      await this.write(by, () => ({ type: 'CREATE_ACCOUNT', payload: { account: factsOf({ login, displayName: row.display_name, role: spec.role, unit: row.unit }) } }), at, async (db) => {
        id = Number((await db.insertInto('account').values(row).returning('id').executeTakeFirstOrThrow()).id);
      });
      return toAccount({ ...row, id });
    } catch (error) {
      // Two admins creating one name at once: the UNIQUE constraint decides.
      if ((await this.byLogin(login)) !== undefined) throw duplicate(login);
      throw error;
    }
  }

  async list(): Promise<Account[]> {
    return (await this.db.selectFrom('account').selectAll().orderBy('id').execute()).map(toAccount);
  }

  async get(id: number): Promise<Account | undefined> {
    const row = await this.db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toAccount(row);
  }

  async byLogin(login: string): Promise<Account | undefined> {
    const row = await this.db.selectFrom('account').selectAll().where('login', '=', login.trim().toLowerCase()).executeTakeFirst();
    return row === undefined ? undefined : toAccount(row);
  }

  /** The account of a login name that must exist, or an AccountError. */
  async require(login: string): Promise<Account> {
    const account = await this.byLogin(login);
    if (account === undefined) throw new AccountError('login', `没有登录名为“${login.trim()}”的账号。`);
    return account;
  }

  /** Changes an account; a new role or unit ends its sessions and tokens. Returns the account before and after. With `by`, an audited CHANGE_ACCOUNT (when anything changed). */
  async update(id: number, changes: AccountChanges, at: Date, by?: Actor): Promise<{ before: Account; after: Account }> {
    const before = await this.mustGet(id);
    const role = changes.role ?? before.role;
    if (!isAccountRole(role)) throw new AccountError('role', '请选择账号角色。');
    const next = {
      display_name: changes.displayName === undefined ? before.displayName : displayName(changes.displayName),
      phone: changes.phone === undefined ? before.phone : phoneNumber(changes.phone),
      email: changes.email === undefined ? before.email : emailAddress(changes.email),
      role,
      unit: changes.unit === undefined && changes.role === undefined ? before.unit : accountUnit(this.units, role, changes.unit === undefined ? before.unit : changes.unit),
      updated_at: at.toISOString(),
    };
    const moved = next.role !== before.role || next.unit !== before.unit;
    const same = !moved && next.display_name === before.displayName && next.phone === before.phone && next.email === before.email;
    if (same) return { before, after: before };
    const after = { ...before, displayName: next.display_name, role: next.role, unit: next.unit };
    await this.write(by, () => ({ type: 'CHANGE_ACCOUNT', payload: { before: factsOf(before), after: factsOf(after) } }), at, async (db) => {
      await db.updateTable('account').set(next).where('id', '=', id).execute();
      if (moved) await this.access.endAccountAccess(db, id, at);
    });
    return { before, after: await this.mustGet(id) };
  }

  /** Disables (its sessions and tokens end at once) or enables an account; false when it already was so. With `by`, an audited DISABLE_ACCOUNT or ENABLE_ACCOUNT. */
  async setDisabled(id: number, disabled: boolean, at: Date, by?: Actor): Promise<boolean> {
    const before = await this.mustGet(id);
    if ((before.disabledAt !== null) === disabled) return false;
    await this.write(by, () => ({ type: disabled ? 'DISABLE_ACCOUNT' : 'ENABLE_ACCOUNT', payload: { account: factsOf(before) } }), at, async (db) => {
      await db.updateTable('account').set({ disabled_at: disabled ? at.toISOString() : null, updated_at: at.toISOString() }).where('id', '=', id).execute();
      if (disabled) await this.access.endAccountAccess(db, id, at);
    });
    return true;
  }

  /**
   * The account whose login name and password these are, enabled, or an AccountError that says
   * the same for an unknown name and a wrong password (and takes as long).
   */
  async checkSignIn(login: string, password: string): Promise<Account> {
    const row = await this.db.selectFrom('account').selectAll().where('login', '=', login.trim().toLowerCase()).executeTakeFirst();
    const stored = row?.password_hash ?? (await this.decoyHash());
    const matches = await verify(stored, password).catch(() => false);
    if (row === undefined || row.password_hash === null || !matches) throw new AccountError('password', '登录名或密码不正确。');
    if (row.disabled_at !== null) throw new AccountError('login', '该账号已停用，请联系系统管理员。');
    return toAccount(row);
  }

  /** Sets a new password after checking the current one; the must-change mark goes. */
  async changePassword(id: number, current: string, next: string, at: Date): Promise<void> {
    const account = await this.mustGet(id);
    const row = await this.db.selectFrom('account').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow();
    if (row.password_hash === null || !(await verify(row.password_hash, current).catch(() => false))) throw new AccountError('current', '当前密码不正确。');
    if (current === next) throw new AccountError('password', '新密码不能与当前密码相同。');
    checkPassword(next, account.login);
    await this.db.updateTable('account').set({ password_hash: await hash(next), must_change: 0, updated_at: at.toISOString() }).where('id', '=', id).execute();
  }

  /**
   * Issues a one-time sign-in code for an account (an admin's reset, or the first admin's start):
   * shown once to whoever asked, stored only as its SHA-256, usable once within RESET_CODE_TTL_MS.
   * An earlier unused code of the account stops working. With `by`, an audited RESET_ACCOUNT (the code never in it).
   */
  async issueResetCode(id: number, at: Date, by?: Actor): Promise<{ code: string; expiresAt: string }> {
    const account = await this.mustGet(id);
    const code = newResetCode();
    const expiresAt = new Date(at.getTime() + RESET_CODE_TTL_MS).toISOString();
    await this.write(by, () => ({ type: 'RESET_ACCOUNT', payload: { account: factsOf(account) } }), at, async (tx) => {
      await tx.updateTable('account_reset').set({ used_at: at.toISOString() }).where('account_id', '=', id).where('used_at', 'is', null).execute();
      await tx.insertInto('account_reset').values({ code_hash: sha256(`${id}:${code}`), account_id: id, created_at: at.toISOString(), expires_at: expiresAt, used_at: null }).execute();
    });
    return { code, expiresAt };
  }

  /**
   * Redeems a one-time code: the account's new password is set (policy checked first, so a weak one
   * leaves the code usable), the code is spent, every earlier session and token of the account ends.
   * A wrong, spent or expired code is refused alike.
   */
  async redeemResetCode(login: string, code: string, password: string, at: Date): Promise<Account> {
    const refused = new AccountError('code', '一次性登录码无效、已使用或已过期，请向系统管理员重新申请。');
    const account = await this.byLogin(login);
    if (account === undefined) throw refused;
    if (account.disabledAt !== null) throw new AccountError('login', '该账号已停用，请联系系统管理员。');
    checkPassword(password, account.login);
    const passwordHash = await hash(password);
    const spent = await this.db
      .updateTable('account_reset')
      .set({ used_at: at.toISOString() })
      .where('code_hash', '=', sha256(`${account.id}:${foldCode(code)}`))
      .where('account_id', '=', account.id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', at.toISOString())
      .executeTakeFirst();
    if (spent.numUpdatedRows !== 1n) throw refused;
    await this.write(undefined, () => { throw new Error('a person redeeming a code is no organisation change'); }, at, async (db) => {
      await db.updateTable('account').set({ password_hash: passwordHash, must_change: 0, updated_at: at.toISOString() }).where('id', '=', account.id).execute();
      await this.access.endAccountAccess(db, account.id, at);
    });
    return this.mustGet(account.id);
  }

  /** The principal an enabled account acts as, or undefined for a disabled or unknown one. */
  async principalOf(id: number, tokenId = 0): Promise<Principal | undefined> {
    const account = await this.get(id);
    return account === undefined || account.disabledAt !== null ? undefined : principalOfAccount(account, tokenId);
  }

  private async mustGet(id: number): Promise<Account> {
    const account = await this.get(id);
    if (account === undefined) throw new AccountError('account', `账号 ${id} 不存在。`);
    return account;
  }

  private decoyHash(): Promise<string> {
    this.decoy ??= hash(randomBytes(16).toString('base64url'));
    return this.decoy;
  }
}

/** The principal of an account (through a token of it, or its web session when `tokenId` is 0). Pure. */
export function principalOfAccount(account: Pick<Account, 'id' | 'displayName' | 'role' | 'unit'>, tokenId = 0): Principal {
  const role = principalRoleOf[account.role];
  return { tokenId, role, unit: role === 'unit' ? account.unit : null, account: { id: account.id, name: account.displayName } };
}

function duplicate(login: string): AccountError {
  return new AccountError('login', `登录名“${login}”已被使用，请换一个。`);
}

function toAccount(row: AccountRow): Account {
  if (!isAccountRole(row.role)) throw new Error(`account ${row.id} has an unknown role ${JSON.stringify(row.role)}`);
  return {
    id: Number(row.id),
    login: row.login,
    displayName: row.display_name,
    phone: row.phone,
    email: row.email,
    unit: row.unit,
    role: row.role,
    mustChangePassword: Number(row.must_change) === 1,
    hasPassword: row.password_hash !== null,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
