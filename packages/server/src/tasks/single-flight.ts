/**
 * Joins concurrent calls with the same key and fingerprint onto one run: the later callers get the
 * first one's result (or error). A call with the same key but another fingerprint waits for the
 * run in flight to settle, then runs on its own (and so meets whatever the first one stored).
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, { fingerprint: string; promise: Promise<T> }>();

  async run(key: string, fingerprint: string, work: () => Promise<T>): Promise<T> {
    for (;;) {
      const running = this.inFlight.get(key);
      if (running === undefined) break;
      if (running.fingerprint === fingerprint) return running.promise;
      await running.promise.catch(() => undefined);
    }
    const promise = work();
    const entry = { fingerprint, promise };
    this.inFlight.set(key, entry);
    try {
      return await promise;
    } finally {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    }
  }
}
