import type Database from 'better-sqlite3';

/** A connection's change counter: SQLite's `PRAGMA data_version`, which moves only when another connection commits. */
export type DataVersion = () => number;

/** How often the counter is read: the longest another connection's commit may go unseen. */
export const FOREIGN_POLL_MS = 200;

/**
 * The per-person cache's time limit on the embedded store: an entry holds until another connection
 * commits to the database file (a CLI import into the same folder, the training worker thread), and
 * at most `maxAgeMs` (a safety net). This process's own writes pass through the cache and drop what
 * they touch at once; `data_version` tells of everyone else's, so nothing needs re-reading while no
 * one else writes. Before, every entry expired after 10 s, and each person's events were read and
 * parsed again (6 to 12 % of a served recommendation's CPU); now another process's write is seen
 * within `pollMs` rather than 10 s.
 *
 * Returns a time limit for `cachingStore`: an entry is valid while younger than it, that is while it
 * was read after the last commit seen from elsewhere. The counter is read at most every `pollMs`.
 */
export function untilForeignCommit(dataVersion: DataVersion, opts: { pollMs?: number; maxAgeMs?: number; clock?: () => number } = {}): () => number {
  const pollMs = opts.pollMs ?? FOREIGN_POLL_MS;
  const maxAgeMs = opts.maxAgeMs ?? 300_000;
  const clock = opts.clock ?? Date.now;
  let version = dataVersion();
  let polledAt = clock();
  // Entries read at or before this time may predate another connection's commit.
  let cutoff = polledAt;
  return () => {
    const now = clock();
    if (now - polledAt >= pollMs) {
      polledAt = now;
      let v: number;
      try {
        v = dataVersion();
      } catch {
        v = Number.NaN; // unreadable (the store closing): trust nothing read before
      }
      if (v !== version) {
        version = v;
        cutoff = now;
      }
    }
    return Math.min(maxAgeMs, now - cutoff);
  };
}

/** The change counter of a SQLite connection (its statement prepared once). */
export function sqliteDataVersion(db: Database.Database): DataVersion {
  const stmt = db.prepare('PRAGMA data_version').pluck();
  return () => stmt.get() as number;
}
