import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { ApiTokenTable, ServerDatabase } from '../db/server-tables.ts';
import type { Principal } from './principal.ts';
import { isRole } from './role.ts';
import type { Role } from './role.ts';

/** A token as listed: never its secret. */
export interface TokenRecord {
  readonly id: number;
  /** The first characters of the token, enough to recognise it. */
  readonly prefix: string;
  readonly role: Role;
  readonly unit: string | null;
  readonly label: string | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
  /** The account the token acts as; null for a service token. */
  readonly accountId: number | null;
  /** When it stops authenticating; null: never. */
  readonly expiresAt: string | null;
}



type ApiTokenRow = Selectable<ApiTokenTable>;

/** `dbn_<role>_<32 base64url characters>` (192 random bits). */
const TOKEN_FORMAT = /^dbn_(office|reviewer|unit|admin|leader)_[A-Za-z0-9_-]{32}$/;

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * How long a live token's principal is remembered (real time, not the plan clock). A revocation through
 * this store takes effect at once; one made by another process (`duban token revoke`) within this time.
 */
export const TOKEN_CACHE_MS = 2000;
const TOKEN_CACHE_SIZE = 10_000;

/**
 * API tokens in the `api_token` table: created with a random secret shown once, stored as its
 * SHA-256 only, looked up by hash and compared in constant time. Does IO on the store's database.
 */
export class TokenStore {
  /** Live tokens seen lately, by hex SHA-256 (never the secret): the hot path skips the lookup. */
  private readonly recent = new Map<string, { principal: Principal; until: number; expiresAt: number }>();
  /** Bumped by every revocation, so a lookup that raced one is not remembered. */
  private revocations = 0;

  constructor(private readonly db: Kysely<ServerDatabase>) {}

  /** Creates a token; the returned secret exists nowhere else. */
  async create(
    spec: { role: Role; unit?: string | null; label?: string | null; accountId?: number | null; expiresAt?: Date | null },
    at: Date,
  ): Promise<{ token: string; record: TokenRecord }> {
    const unit = spec.unit ?? null;
    if (spec.expiresAt != null && spec.expiresAt.getTime() <= at.getTime()) throw new Error('a token must expire after it is created');
    if (spec.role === 'unit' && unit === null) throw new Error('a unit token needs a unit');
    if (spec.role !== 'unit' && unit !== null) throw new Error(`a ${spec.role} token acts for no unit`);
    const random = randomBytes(24).toString('base64url');
    const token = `dbn_${spec.role}_${random}`;
    const row = {
      prefix: `dbn_${spec.role}_${random.slice(0, 4)}`,
      hash: sha256(token).toString('hex'),
      role: spec.role,
      unit,
      label: spec.label ?? null,
      created_at: at.toISOString(),
      revoked_at: null,
      account_id: spec.accountId ?? null,
      expires_at: spec.expiresAt == null ? null : spec.expiresAt.toISOString(),
    };
    const inserted = await this.db.insertInto('api_token').values(row).returning('id').executeTakeFirstOrThrow();
    return { token, record: toRecord({ ...row, id: Number(inserted.id) }) };
  }

  async list(): Promise<TokenRecord[]> {
    const rows = await this.db.selectFrom('api_token').selectAll().orderBy('id').execute();
    return rows.map(toRecord);
  }

  /** Forgets every remembered principal (an account was disabled or moved): the next request looks again. */
  forget(): void {
    this.revocations += 1;
    this.recent.clear();
  }

  /** Revokes a token; false when there is no such token or it was revoked already. */
  async revoke(id: number, at: Date): Promise<boolean> {
    const result = await this.db.updateTable('api_token').set({ revoked_at: at.toISOString() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    this.revocations += 1;
    this.recent.clear();
    return result.numUpdatedRows === 1n;
  }

  /** The principal of a live token, or undefined for a malformed, unknown or revoked one. */
  async authenticate(token: string, at: Date): Promise<Principal | undefined> {
    const match = TOKEN_FORMAT.exec(token);
    if (match === null) return undefined;
    const digest = sha256(token);
    const hash = digest.toString('hex');
    const now = performance.now();
    const cached = this.recent.get(hash);
    if (cached !== undefined && cached.until > now) return cached.expiresAt > at.getTime() ? cached.principal : undefined;
    const revocations = this.revocations;
    const row = await this.db.selectFrom('api_token').selectAll().where('hash', '=', hash).executeTakeFirst();
    if (row === undefined || row.revoked_at !== null) return undefined;
    const stored = Buffer.from(row.hash, 'hex');
    if (stored.length !== digest.length || !timingSafeEqual(stored, digest)) return undefined;
    if (row.role !== match[1] || !isRole(row.role)) return undefined;
    const principal = await this.principalOfRow(row, at);
    if (principal === undefined) return undefined;
    if (revocations !== this.revocations) return principal;
    if (this.recent.size >= TOKEN_CACHE_SIZE) this.recent.clear();
    // An expiring token is remembered with its expiry, checked against the caller's clock.
    this.recent.set(hash, { principal, until: now + TOKEN_CACHE_MS, expiresAt: row.expires_at === null ? Infinity : Date.parse(row.expires_at) });
    return principal;
  }

  /** The principal of a token by id (a web session opened with it), or undefined once revoked, expired or its account disabled. */
  async principalOf(id: number, at: Date): Promise<Principal | undefined> {
    const row = await this.db.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined || row.revoked_at !== null || !isRole(row.role) ? undefined : this.principalOfRow(row, at);
  }

  /** A live token row's principal: a service token's own role and unit; an account's token acts as the account, while it is enabled. */
  private async principalOfRow(row: ApiTokenRow, at: Date): Promise<Principal | undefined> {
    if (row.expires_at !== null && row.expires_at <= at.toISOString()) return undefined;
    const role = row.role as Role;
    if (row.account_id === null) return { tokenId: Number(row.id), role, unit: role === 'unit' ? row.unit : null };
    const owner = await this.db.selectFrom('account').select(['id', 'display_name', 'role', 'unit', 'disabled_at']).where('id', '=', row.account_id).executeTakeFirst();
    if (owner === undefined || owner.disabled_at !== null) return undefined;
    const unit = role === 'unit' ? owner.unit : null;
    // A token issued for the account's role and unit: one that no longer matches them (a move) acts for nothing.
    if (role === 'unit' && unit !== row.unit) return undefined;
    return { tokenId: Number(row.id), role, unit, account: { id: Number(owner.id), name: owner.display_name } };
  }
}

function toRecord(row: ApiTokenRow): TokenRecord {
  if (!isRole(row.role)) throw new Error(`api_token ${row.id} has an unknown role ${JSON.stringify(row.role)}`);
  return {
    id: Number(row.id),
    prefix: row.prefix,
    role: row.role,
    unit: row.unit,
    label: row.label,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    accountId: row.account_id === null ? null : Number(row.account_id),
    expiresAt: row.expires_at,
  };
}
