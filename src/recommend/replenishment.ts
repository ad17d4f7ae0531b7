import type { StoredEvent } from '../domain/schemas.ts';

/** How many purchases of an item show a habit, and how much of the usual interval must have passed. */
const MIN_PURCHASES = 2;
const DUE_FRACTION = 0.9;

/**
 * Items a person buys again and again whose usual interval has (nearly) passed since the last purchase:
 * coffee, contact lenses, printer ink. Pure: their events and the time in, item ids out.
 */
export function dueForReplenishment(events: readonly StoredEvent[], now: number): Set<string> {
  const times = new Map<string, number[]>();
  for (const e of events) {
    if (e.type !== 'purchase' || !e.itemId) continue;
    let l = times.get(e.itemId);
    if (!l) times.set(e.itemId, (l = []));
    l.push(e.timestamp);
  }
  const due = new Set<string>();
  for (const [id, ts] of times) {
    if (ts.length < MIN_PURCHASES) continue;
    ts.sort((a, b) => a - b);
    const interval = (ts[ts.length - 1] - ts[0]) / (ts.length - 1);
    if (interval > 0 && now - ts[ts.length - 1] >= DUE_FRACTION * interval) due.add(id);
  }
  return due;
}
