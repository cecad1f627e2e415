import { performance } from 'node:perf_hooks';
import { UnitRegistry } from '@duban/plan';
import type { UnitRecord } from '@duban/plan';
import type { Kysely } from 'kysely';
import type { ServerDatabase } from '../db/server-tables.ts';
import { readUnitRecords, readUnitVersion } from './unit-tables.ts';

/** How long a server trusts its copy of the registry before it asks the database for the version again. */
export const UNIT_DIRECTORY_MAX_AGE_MS = 1000;

/**
 * The unit registry as the server reads it: a `UnitRegistry` (pure, in memory) built from the
 * database's rows, answered synchronously (`get`, `canonical`, `membersOf`, `has`, `units`), and
 * refreshed when the registry's version row says another change was made, here or by another server
 * on the same database. `refresh` does IO; the lookups do none.
 */
export class UnitDirectory {
  #registry = new UnitRegistry([]);
  #version = -1;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #refreshing: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<ServerDatabase>,
    private readonly maxAgeMs = UNIT_DIRECTORY_MAX_AGE_MS,
  ) {}

  /** The registry as last read. */
  get registry(): UnitRegistry {
    return this.#registry;
  }

  get units(): readonly UnitRecord[] {
    return this.#registry.units;
  }

  get(name: string): UnitRecord | undefined {
    return this.#registry.get(name);
  }

  canonical(name: string): string {
    return this.#registry.canonical(name);
  }

  membersOf(name: string): string[] {
    return this.#registry.membersOf(name);
  }

  has(name: string): boolean {
    return this.#registry.has(name);
  }

  /**
   * Reads the version row (one indexed row) unless it was read within the last `maxAgeMs`, or
   * `force`; reloads the rows when the version moved. Concurrent calls share one read. Does IO.
   */
  refresh(force = false): Promise<void> {
    // Forced (after a change of our own): a read already under way may have begun before the change.
    if (force) return (this.#refreshing ?? Promise.resolve()).catch(() => undefined).then(() => this.reload());
    if (performance.now() - this.#checkedAt < this.maxAgeMs) return Promise.resolve();
    this.#refreshing ??= this.reload().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  private async reload(): Promise<void> {
    const checkedAt = performance.now();
    // The version first: a change landing between the two reads leaves an old version with new rows, read again next time.
    const version = await readUnitVersion(this.db);
    if (version !== this.#version) {
      this.#registry = new UnitRegistry(await readUnitRecords(this.db));
      this.#version = version;
    }
    this.#checkedAt = checkedAt;
  }
}
