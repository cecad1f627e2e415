import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';

const MARK = '\u0000argument:';

/**
 * A query built and compiled once, then run with fresh values: kysely builds and compiles every query
 * anew, which costs more than running the engine's small statements. `build` puts `arg(name)` wherever
 * `run`'s `args[name]` goes; any other value is a constant kept as compiled.
 */
export class PrecompiledQuery<R> {
  private readonly compiled: CompiledQuery<R>;
  /** For each compiled parameter: the argument it takes, or undefined for a constant. */
  private readonly slots: readonly (string | undefined)[];

  constructor(build: (arg: (name: string) => any) => Compilable<R>) {
    this.compiled = build((name) => `${MARK}${name}`).compile();
    this.slots = this.compiled.parameters.map((p) => (typeof p === 'string' && p.startsWith(MARK) ? p.slice(MARK.length) : undefined));
  }

  run(db: Kysely<any>, args: object): Promise<QueryResult<R>> {
    const values = args as Readonly<Record<string, unknown>>;
    const parameters = this.slots.map((slot, i) => (slot === undefined ? this.compiled.parameters[i] : values[slot]));
    return db.executeQuery({ ...this.compiled, parameters });
  }
}
