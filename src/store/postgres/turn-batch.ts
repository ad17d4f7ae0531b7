/**
 * Point reads asked during one turn of the event loop, answered together by one query: the ingest
 * path asks consent for every person of a batch at once, and each point read alone is a round trip
 * to PostgreSQL. A read still starts after it was asked (at the end of the turn), so it sees every
 * write that committed before the call.
 */
export class TurnBatcher<R, V> {
  private pending = new Map<string, Map<string, Array<{ resolve: (v: V) => void; reject: (e: unknown) => void }>>>();
  private scheduled = false;

  /**
   * `fetch` reads many keys of one group (a workspace) at once, as rows per key; `build` makes each
   * caller's answer from its key's rows (undefined when there were none), a fresh one per caller.
   */
  constructor(
    private readonly fetch: (group: string, keys: string[]) => Promise<Map<string, R[]>>,
    private readonly build: (rows: readonly R[] | undefined) => V,
  ) {}

  get(group: string, key: string): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      let keys = this.pending.get(group);
      if (!keys) this.pending.set(group, (keys = new Map()));
      let waiters = keys.get(key);
      if (!waiters) keys.set(key, (waiters = []));
      waiters.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.run());
      }
    });
  }

  private run(): void {
    this.scheduled = false;
    const groups = this.pending;
    this.pending = new Map();
    for (const [group, keys] of groups) {
      this.fetch(group, [...keys.keys()]).then(
        (found) => {
          for (const [key, waiters] of keys) for (const w of waiters) w.resolve(this.build(found.get(key)));
        },
        (error) => {
          for (const waiters of keys.values()) for (const w of waiters) w.reject(error);
        },
      );
    }
  }
}
