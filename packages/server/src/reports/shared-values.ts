/**
 * One copy of each distinct value: many tasks name the same unit lists, collectives and parts, and a
 * read model holding 100,000 tasks keeps one of each instead of one per task. Values are JSON.
 */
export class SharedValues {
  private readonly known = new Map<string, unknown>();

  /** The first value equal to `value` (by its JSON) seen here, or `value` itself. */
  share<T>(value: T): T {
    const key = typeof value === 'string' ? `s${value}` : `j${JSON.stringify(value)}`;
    const known = this.known.get(key) as T | undefined;
    if (known !== undefined) return known;
    this.known.set(key, value);
    return value;
  }
}
