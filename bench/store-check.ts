/**
 * Reads a store directly (never through the server): the events it holds and whether every person's
 * real-time profile counts all of their stored events.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

export interface StoreCheck {
  /** Events stored in the `default` workspace. */
  stored: number;
  /** Their messageIds, when asked for. */
  ids?: Set<string>;
  /** People whose profile's per-type event counts do not add up to their stored events. */
  profileMismatches: number;
  /** Stored events the profiles do not count (net, over all people; negative if counted twice). */
  eventsMissingFromProfiles: number;
  /** SQLite `PRAGMA quick_check` ("ok"), or "n/a" for PostgreSQL. */
  integrity: string;
}

function compareProfiles(events: Map<string, number>, profiles: Array<{ subject: string; body: string }>) {
  const counted = new Map<string, number>();
  for (const { subject, body } of profiles) {
    const p = JSON.parse(body) as { events?: Record<string, { count: number }> };
    counted.set(
      subject,
      Object.values(p.events ?? {}).reduce((a, e) => a + e.count, 0),
    );
  }
  let profileMismatches = 0,
    eventsMissingFromProfiles = 0;
  for (const [subject, n] of events) {
    const c = counted.get(subject) ?? 0;
    if (c !== n) {
      profileMismatches++;
      eventsMissingFromProfiles += n - c;
    }
  }
  return { profileMismatches, eventsMissingFromProfiles };
}

const EVENTS_BY_SUBJECT = "SELECT subject, count(*) AS n FROM events WHERE workspace = 'default' GROUP BY subject";
const PROFILES = "SELECT subject, body FROM profiles WHERE workspace = 'default'";
const IDS = "SELECT message_id FROM events WHERE workspace = 'default'";

/** Opens `<dataDir>/afin.db` read-only (safe while a server has it open: WAL readers do not block). */
export function checkSqlite(dataDir: string, withIds = false): StoreCheck {
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(join(dataDir, 'afin.db'), { readonly: true, fileMustExist: true });
  try {
    const integrity = String(db.pragma('quick_check', { simple: true }));
    const rows = db.prepare(EVENTS_BY_SUBJECT).all() as Array<{ subject: string; n: number }>;
    const profiles = db.prepare(PROFILES).all() as Array<{ subject: string; body: string }>;
    const ids = withIds ? new Set((db.prepare(IDS).all() as Array<{ message_id: string }>).map((r) => r.message_id)) : undefined;
    return {
      stored: rows.reduce((a, r) => a + Number(r.n), 0),
      ids,
      integrity,
      ...compareProfiles(new Map(rows.map((r) => [r.subject, Number(r.n)])), profiles),
    };
  } finally {
    db.close();
  }
}

export async function checkPg(url: string, withIds = false): Promise<StoreCheck> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const rows = (await c.query(EVENTS_BY_SUBJECT)).rows as Array<{ subject: string; n: string }>;
    const profiles = (await c.query(PROFILES)).rows as Array<{ subject: string; body: string }>;
    const ids = withIds ? new Set(((await c.query(IDS)).rows as Array<{ message_id: string }>).map((r) => r.message_id)) : undefined;
    return {
      stored: rows.reduce((a, r) => a + Number(r.n), 0),
      ids,
      integrity: 'n/a',
      ...compareProfiles(new Map(rows.map((r) => [r.subject, Number(r.n)])), profiles),
    };
  } finally {
    await c.end();
  }
}
