import { createHash } from 'node:crypto';
import type { Dialect } from '@duban/engine';
import { canonicalJson } from '@duban/engine';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { CircularIssueTable, ServerDatabase } from '../../db/server-tables.ts';
import { writeNotices } from '../../notifications/notification-hook.ts';
import { shanghaiDate } from '../../time/calendar.ts';
import type { Circular } from './circular.ts';

/** The number prefix of a deployment that names none (`serve --circular-prefix`): 克拉玛依市“放管服”改革办公室's 通报. */
export const DEFAULT_CIRCULAR_PREFIX = '克改办通';

/** Is this a usable number prefix: 1 to 20 characters, no white space, no 〔〕 brackets of the year? Pure. */
export function isCircularPrefix(text: string): boolean {
  return /^[^\s〔〕]{1,20}$/u.test(text);
}

/** The hash before the first issued circular. */
const GENESIS = '0'.repeat(64);

/** Who issued a circular: the caller's role, and the person when a person did. */
export interface CircularIssuer {
  readonly role: string;
  readonly account?: { readonly id: number; readonly name: string } | undefined;
}

/** A circular as issued: its number (文号), who issued it when, the units it was sent to, and the content's hash. */
export interface IssuedCircular {
  readonly id: number;
  /** 文号, e.g. 克改办通〔2023〕3号. */
  readonly number: string;
  readonly prefix: string;
  readonly year: number;
  readonly sequence: number;
  readonly period: { readonly from: string; readonly to: string };
  readonly title: string;
  readonly issuedAt: string;
  readonly issuedBy: CircularIssuer;
  /** The units it names, each sent an in-app notice; they may read it. */
  readonly units: readonly string[];
  /** Hex SHA-256 of the issued content (the circular's canonical JSON, number included). */
  readonly contentSha256: string;
  readonly prevHash: string;
  /** SHA-256 over prevHash and every field above: the register is a hash chain, like the audit log. */
  readonly hash: string;
  /** The circular as issued, number included. */
  readonly circular: Circular;
}

/** What issuing needs: the draft, the number's prefix, the units to send it to, who and when, and the request's idempotency. */
export interface IssueRequest {
  readonly prefix: string;
  readonly circular: Circular;
  readonly units: readonly string[];
  readonly issuer: CircularIssuer;
  readonly at: Date;
  /** The caller's token or account (auth/principal.ts callerKey): an idempotency key is the caller's own. */
  readonly callerKey: string;
  readonly idempotencyKey?: string | undefined;
}

/** The same idempotency key was used for a different period. */
export class CircularKeyReused extends Error {
  constructor(readonly number: string) {
    super(`this Idempotency-Key already issued ${number} for another period`);
  }
}

/** The 文号 of a prefix, year and sequence: 克改办通〔2023〕3号. Pure. */
export function circularNumber(prefix: string, year: number, sequence: number): string {
  return `${prefix}〔${year}〕${sequence}号`;
}

/**
 * The register of issued circulars (发文登记) in `circular_issue`: issuing takes the next number of the
 * prefix and year (numbers never repeat: a lock on PostgreSQL, one writer on SQLite, and a unique
 * constraint behind both), chains the row to the one before by hash, and writes one in-app notice per
 * named unit in the same transaction. Issuing again with the caller's idempotency key returns the first
 * issue. Does IO.
 */
export class CircularRegister {
  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly dialect: Dialect,
  ) {}

  /** Issues the circular; `created` is false when the caller's idempotency key had issued it already. Throws CircularKeyReused for the key on another period. */
  async issue(request: IssueRequest): Promise<{ issued: IssuedCircular; created: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      if (this.dialect === 'postgres') await sql`SELECT pg_advisory_xact_lock(hashtext('duban.circular_issue'))`.execute(trx);
      const key = request.idempotencyKey;
      if (key !== undefined) {
        const earlier = await trx.selectFrom('circular_issue').selectAll().where('caller_key', '=', request.callerKey).where('idempotency_key', '=', key).executeTakeFirst();
        if (earlier !== undefined) {
          const issued = toIssued(earlier);
          const same = issued.period.from === request.circular.period.from && issued.period.to === request.circular.period.to;
          if (!same) throw new CircularKeyReused(issued.number);
          return { issued, created: false };
        }
      }
      return { issued: await this.append(trx, request), created: true };
    });
  }

  /** Every issued circular, newest first; only those naming `unit` when given. */
  async list(filter: { readonly unit?: string } = {}): Promise<IssuedCircular[]> {
    const rows = await this.db.selectFrom('circular_issue').selectAll().orderBy('id', 'desc').execute();
    const all = rows.map(toIssued);
    return filter.unit === undefined ? all : all.filter((issued) => issued.units.includes(filter.unit!));
  }

  async get(id: number): Promise<IssuedCircular | undefined> {
    const row = await this.db.selectFrom('circular_issue').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toIssued(row);
  }

  /** Re-computes each row's content hash and chain hash; the first row that does not hold, or undefined when all do. */
  async verify(): Promise<{ readonly id: number; readonly reason: string } | undefined> {
    let prev = GENESIS;
    for (const row of await this.db.selectFrom('circular_issue').selectAll().orderBy('id').execute()) {
      if (sha256(row.content) !== row.content_sha256) return { id: Number(row.id), reason: 'content does not match its hash' };
      if (row.prev_hash !== prev || rowHash(row) !== row.hash) return { id: Number(row.id), reason: 'chain broken' };
      prev = row.hash;
    }
    return undefined;
  }

  private async append(trx: Transaction<ServerDatabase>, request: IssueRequest): Promise<IssuedCircular> {
    const year = Number(shanghaiDate(request.at.getTime()).slice(0, 4));
    const last = await trx.selectFrom('circular_issue').select(['hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
    const top = await trx
      .selectFrom('circular_issue')
      .select((eb) => eb.fn.max('sequence').as('n'))
      .where('prefix', '=', request.prefix)
      .where('year', '=', year)
      .executeTakeFirst();
    const sequence = Number(top?.n ?? 0) + 1;
    const number = circularNumber(request.prefix, year, sequence);
    const content = canonicalJson({ ...request.circular, number } as never);
    const fields = {
      number,
      prefix: request.prefix,
      year,
      sequence,
      period_from: request.circular.period.from,
      period_to: request.circular.period.to,
      title: request.circular.title,
      content,
      content_sha256: sha256(content),
      units: JSON.stringify(request.units),
      issued_at: request.at.toISOString(),
      issued_by_role: request.issuer.role,
      issued_by_account: request.issuer.account?.id ?? null,
      issued_by_name: request.issuer.account?.name ?? null,
      caller_key: request.callerKey,
      idempotency_key: request.idempotencyKey ?? null,
      prev_hash: last?.hash ?? GENESIS,
    };
    const row = { ...fields, hash: rowHash(fields) };
    const { id } = await trx.insertInto('circular_issue').values(row).returning('id').executeTakeFirstOrThrow();
    const issued = toIssued({ ...row, id });
    // The notices, with their channels' and webhooks' deliveries, have no audit entry behind them: their
    // entry_seq is the circular's id, negated, so it never meets a transition's.
    await writeNotices(
      trx,
      issued.units.map((unit) => ({
        unit,
        task_id: '',
        entry_seq: -Number(id),
        type: 'CIRCULAR',
        title: `【通报】${number}`,
        body: `${issued.title}（${number}）已印发，请查阅并按通报要求抓好落实。`,
        created_at: issued.issuedAt,
        acknowledged_at: null,
      })),
      issued.issuedAt,
    );
    return issued;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The chain hash of a row: SHA-256 of the canonical JSON of every field but the hash itself and the idempotency bookkeeping. */
function rowHash(row: Omit<Selectable<CircularIssueTable>, 'id' | 'hash'> & { id?: unknown; hash?: unknown }): string {
  const { id: _id, hash: _hash, content: _content, caller_key: _caller, idempotency_key: _key, ...hashed } = row;
  return sha256(canonicalJson({ ...hashed, year: Number(hashed.year), sequence: Number(hashed.sequence), issued_by_account: hashed.issued_by_account === null ? null : Number(hashed.issued_by_account) }));
}

function toIssued(row: Selectable<CircularIssueTable>): IssuedCircular {
  const account = row.issued_by_account === null ? undefined : { id: Number(row.issued_by_account), name: row.issued_by_name ?? '' };
  return {
    id: Number(row.id),
    number: row.number,
    prefix: row.prefix,
    year: Number(row.year),
    sequence: Number(row.sequence),
    period: { from: row.period_from, to: row.period_to },
    title: row.title,
    issuedAt: row.issued_at,
    issuedBy: { role: row.issued_by_role, ...(account === undefined ? {} : { account }) },
    units: JSON.parse(row.units) as string[],
    contentSha256: row.content_sha256,
    prevHash: row.prev_hash,
    hash: row.hash,
    circular: JSON.parse(row.content) as Circular,
  };
}
