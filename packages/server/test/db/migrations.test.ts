import { createHash } from 'node:crypto';
import type { Dialect } from '@duban/engine';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { serverMigrationFiles } from '../../src/db/server-migrations.ts';

/** The SQL a migration's `up` sends on `dialect`, captured without a database. */
async function sqlOf(name: string, dialect: Dialect): Promise<string[]> {
  const statements: string[] = [];
  const db = new Kysely<unknown>({
    dialect: {
      createAdapter: () => (dialect === 'postgres' ? new PostgresAdapter() : new SqliteAdapter()),
      createDriver: () => new DummyDriver(),
      createIntrospector: (kysely) => (dialect === 'postgres' ? new PostgresIntrospector(kysely) : new SqliteIntrospector(kysely)),
      createQueryCompiler: () => (dialect === 'postgres' ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
    },
    log: (event) => void statements.push(`${event.query.sql} ${JSON.stringify(event.query.parameters)}`),
  });
  await serverMigrationFiles[name]!(dialect).up(db);
  return statements;
}

const hash = (statements: readonly string[]) => createHash('sha256').update(statements.join(';\n')).digest('hex').slice(0, 16);

/**
 * What each landed migration sends, by dialect. A database records a migration by name and never
 * runs it again, so a changed migration would leave old and new databases different: add a new
 * migration instead, and its hashes here.
 */
const landed: Record<string, { sqlite: string; postgres: string }> = {
  '0001-api-token': { sqlite: '38851811efa79784', postgres: '064828844f9776db' },
  '0002-access-log': { sqlite: 'de60f4979bb9c707', postgres: 'b219e1d76d71a53c' },
  '0003-web-session': { sqlite: '008286a1dacca7b0', postgres: '008286a1dacca7b0' },
  '0004-notifications': { sqlite: '3f5ceb7fa3468045', postgres: 'cae82c0e7a8eb687' },
  '0005-scale-out-rate-limit': { sqlite: 'c327ab78e58aa519', postgres: 'a0a9be6326788232' },
  '0006-accounts': { sqlite: '59be71a34e89ae30', postgres: '0b2277977b633ef0' },
  '0007-files': { sqlite: 'f37cfbc5ba20a245', postgres: 'cf0db9f98076b91c' },
  '0008-units': { sqlite: '3fc81bd602a15167', postgres: '3fc81bd602a15167' },
  '0009-plans': { sqlite: 'ed340fec68a77d93', postgres: 'c6ed19ded5075d48' },
  '0010-single-sign-on': { sqlite: '8609f81eb38bc8cf', postgres: '8609f81eb38bc8cf' },
  '0011-task-search': { sqlite: '862f2d0748c24ae8', postgres: 'bbcf460edc151727' },
  '0012-notice-channels': { sqlite: '5aa6581bffc79f5b', postgres: '18048d49fc7d7d7d' },
  '0013-leaders-and-circulars': { sqlite: '8a60615b655e4e22', postgres: '95f310953521f38c' },
  '0014-file-chunks-key': { sqlite: '914ee123653c11f1', postgres: '914ee123653c11f1' },
  '0015-reporting-cycles': { sqlite: '638ec19f8ff79069', postgres: '22fc9bf571a44add' },
  '0016-task-search-order': { sqlite: 'ba1d57665ded4e3e', postgres: '7ccd5d2c24995545' },
  '0017-file-incoming': { sqlite: '94d1b899900cbee7', postgres: '94d1b899900cbee7' },
  '0018-plan-history': { sqlite: '58cf25e6e398d86e', postgres: '6f8901d9b4a7c26c' },
  '0019-cycle-schedules': { sqlite: '91d7d327b52a8de1', postgres: '91d7d327b52a8de1' },
  '0020-task-search-latest': { sqlite: '2d5574d766a2945b', postgres: 'e3b0c44298fc1c14' },
  '0021-report-model-checkpoint': { sqlite: '5227c173fc9a8963', postgres: '5227c173fc9a8963' },
};

describe('the server migrations', () => {
  it('capture SQL at all (else every hash would be of nothing)', async () => {
    expect((await sqlOf('0001-api-token', 'sqlite')).join(' ')).toContain('create table "api_token"');
  });

  it('are numbered files in order, with no gap', () => {
    const names = Object.keys(serverMigrationFiles);
    expect(names).toEqual([...names].sort());
    names.forEach((name, index) => expect(name.slice(0, 4), name).toBe(String(index + 1).padStart(4, '0')));
  });

  it('never change once landed: each sends the SQL it sent when it landed', async () => {
    const now: Record<string, { sqlite: string; postgres: string }> = {};
    for (const name of Object.keys(serverMigrationFiles)) now[name] = { sqlite: hash(await sqlOf(name, 'sqlite')), postgres: hash(await sqlOf(name, 'postgres')) };
    expect(now).toEqual(landed);
  });
});
