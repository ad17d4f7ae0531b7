import type { EventType, RecContext, StoredEvent } from '../../domain/schemas.ts';
import { decay, eventWeight, type RatingMode } from '../../domain/weights.ts';
import type { HistoryEntry } from '../models/types.ts';

/**
 * Declared taste does not fade: a rating, a like or a dislike says what the person thinks of the item,
 * whenever it was given (on a rating log, decaying them cost served accuracy; see README, Evaluation).
 * Views, carts and purchases say what they want now, and fade with age.
 */
const DECLARED: ReadonlySet<EventType> = new Set(['rating', 'like', 'dislike']);

/** One history entry as a model sees it, with the event it came from (null: the item in view). */
export interface HistoryPoint {
  entry: HistoryEntry;
  event: StoredEvent | null;
  itemId: string;
}

export interface HistoryOptions {
  weights: Readonly<Record<EventType, number>>;
  ratings?: RatingMode;
  /** Half-life in days, or null for no recency weighting. */
  halfLifeDays: number | null;
  context: RecContext;
  /** The item in view on an item page. */
  itemId?: string;
  now: number;
}

/**
 * A person's events as model input: weighted by type, decayed by age, shaped by the page's context.
 * Age counts back from the person's own latest event, never the wall clock alone, so a history imported
 * from last year weighs its events as it did when they happened.
 */
export function personHistory(events: readonly StoredEvent[], modelIndex: ReadonlyMap<string, number>, opts: HistoryOptions): HistoryPoint[] {
  const out: HistoryPoint[] = [];
  let latest = -Infinity;
  for (const e of events) if (e.timestamp > latest) latest = e.timestamp;
  let strongest = 1;
  for (const e of events) {
    if (!e.itemId) continue;
    const item = modelIndex.get(e.itemId);
    if (item === undefined) continue;
    let w = eventWeight(e.type, e.value, opts.weights, opts.ratings);
    if (opts.halfLifeDays !== null && !DECLARED.has(e.type)) w *= decay(latest - e.timestamp, opts.halfLifeDays);
    if (w === 0 || !Number.isFinite(w)) continue;
    strongest = Math.max(strongest, w);
    out.push({ entry: { item, weight: w, time: e.timestamp }, event: e, itemId: e.itemId });
  }
  // On an item page, the item in view matters most; in the cart, what is in it.
  if (opts.context === 'item' && opts.itemId !== undefined) {
    const item = modelIndex.get(opts.itemId);
    if (item !== undefined) out.push({ entry: { item, weight: 3 * strongest, time: opts.now }, event: null, itemId: opts.itemId });
  }
  if (opts.context === 'cart') {
    for (const h of out) if (h.event?.type === 'add_to_cart') h.entry.weight *= 3;
  }
  return out;
}
