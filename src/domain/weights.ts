import type { EventType } from './schemas.ts';

/**
 * How strongly each event type says "this person wants this item". A purchase counts more than a
 * view; a dislike and a return count against. Ratings are centred on 3 stars.
 */
export const DEFAULT_EVENT_WEIGHTS: Readonly<Record<EventType, number>> = {
  view: 1,
  click: 1.5,
  add_to_cart: 3,
  purchase: 5,
  rating: 0, // replaced by ratingWeight(value)
  like: 3,
  dislike: -3,
  search: 0,
  impression: 0,
  chat: 0,
  email_open: 0,
  email_click: 1,
  return: -4,
};

/**
 * Stored data may predate validation: a rating outside 1–5 counts as the nearest end of the scale and
 * a non-finite one not at all, so no stored value can put an infinity or NaN into a model.
 */
export function eventWeight(type: EventType, value: number | null, weights: Readonly<Record<EventType, number>> = DEFAULT_EVENT_WEIGHTS): number {
  if (type === 'rating') return value === null || !Number.isFinite(value) ? 0 : (Math.min(5, Math.max(1, value)) - 3) * 1.5;
  const w = weights[type];
  return Number.isFinite(w) ? w : 0;
}

/** Exponential decay factor for something `ageMs` old with the given half-life. */
export function decay(ageMs: number, halfLifeDays: number): number {
  return Math.pow(2, -Math.max(0, ageMs) / (halfLifeDays * 86_400_000));
}
