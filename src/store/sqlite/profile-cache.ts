/**
 * The parsed profiles the ingest path updated last, kept so the next batch about the same people
 * neither reads nor parses their rows again. The store owns the objects: it hands them to the profile
 * updater, which may change them in place, and it drops an entry whenever its row may differ (a write
 * that failed, another connection's commit, a delete). Bounded, least recently used out first. The
 * PostgreSQL store keeps one too, each entry with its row version (`V`).
 */
export class ProfileCache<V = Record<string, unknown>> {
  private readonly entries = new Map<string, V>();

  constructor(readonly maxEntries = 10_000) {}

  private static key(ws: string, subject: string): string {
    return `${ws}\u0000${subject}`;
  }

  get size(): number {
    return this.entries.size;
  }

  get(ws: string, subject: string): V | undefined {
    const k = ProfileCache.key(ws, subject);
    const p = this.entries.get(k);
    if (p !== undefined) {
      // Re-inserted so that the Map's insertion order is the order of last use.
      this.entries.delete(k);
      this.entries.set(k, p);
    }
    return p;
  }

  set(ws: string, subject: string, profile: V): void {
    const k = ProfileCache.key(ws, subject);
    this.entries.delete(k);
    this.entries.set(k, profile);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(ws: string, subject: string): void {
    this.entries.delete(ProfileCache.key(ws, subject));
  }

  clear(): void {
    this.entries.clear();
  }
}
