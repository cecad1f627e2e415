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
}

type ApiTokenRow = Selectable<ApiTokenTable>;

/** `dbn_<role>_<32 base64url characters>` (192 random bits). */
const TOKEN_FORMAT = /^dbn_(office|reviewer|unit|admin)_[A-Za-z0-9_-]{32}$/;

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
  private readonly recent = new Map<string, { principal: Principal; until: number }>();
  /** Bumped by every revocation, so a lookup that raced one is not remembered. */
  private revocations = 0;

  constructor(private readonly db: Kysely<ServerDatabase>) {}

  /** Creates a token; the returned secret exists nowhere else. */
  async create(spec: { role: Role; unit?: string | null; label?: string | null }, at: Date): Promise<{ token: string; record: TokenRecord }> {
    const unit = spec.unit ?? null;
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
    };
    const inserted = await this.db.insertInto('api_token').values(row).returning('id').executeTakeFirstOrThrow();
    return { token, record: toRecord({ ...row, id: Number(inserted.id) }) };
  }

  async list(): Promise<TokenRecord[]> {
    const rows = await this.db.selectFrom('api_token').selectAll().orderBy('id').execute();
    return rows.map(toRecord);
  }

  /** Revokes a token; false when there is no such token or it was revoked already. */
  async revoke(id: number, at: Date): Promise<boolean> {
    const result = await this.db.updateTable('api_token').set({ revoked_at: at.toISOString() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    this.revocations += 1;
    this.recent.clear();
    return result.numUpdatedRows === 1n;
  }

  /** The principal of a live token, or undefined for a malformed, unknown or revoked one. */
  async authenticate(token: string): Promise<Principal | undefined> {
    const match = TOKEN_FORMAT.exec(token);
    if (match === null) return undefined;
    const digest = sha256(token);
    const hash = digest.toString('hex');
    const now = performance.now();
    const cached = this.recent.get(hash);
    if (cached !== undefined && cached.until > now) return cached.principal;
    const revocations = this.revocations;
    const row = await this.db.selectFrom('api_token').selectAll().where('hash', '=', hash).executeTakeFirst();
    if (row === undefined || row.revoked_at !== null) return undefined;
    const stored = Buffer.from(row.hash, 'hex');
    if (stored.length !== digest.length || !timingSafeEqual(stored, digest)) return undefined;
    if (row.role !== match[1] || !isRole(row.role)) return undefined;
    const principal: Principal = { tokenId: Number(row.id), role: row.role, unit: row.role === 'unit' ? row.unit : null };
    if (revocations !== this.revocations) return principal;
    if (this.recent.size >= TOKEN_CACHE_SIZE) this.recent.clear();
    this.recent.set(hash, { principal, until: now + TOKEN_CACHE_MS });
    return principal;
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
  };
}
