/**
 * What a person did in each category before a cutoff: when they last touched it, how often they
 * viewed, carted, liked, disliked and bought in it, and the times of their purchases (one order's
 * lines in one category count once: purchases less than ORDER_GAP apart are one occasion).
 */
import { type EventLog, KIND } from './event-log.ts';

/** Purchases in one category closer than this are one shopping occasion, not a re-buy. */
export const ORDER_GAP_MS = 12 * 3_600_000;

export interface PairFacts {
  category: number;
  lastTouch: number;
  views: number;
  viewsLast: number;
  carts: number;
  likes: number;
  dislikes: number;
  /** Start times of purchase occasions, oldest first. */
  purchases: number[];
  /** The person's events in this category. */
  events: number;
}

/** Person p's facts per category from events before `cutoff`; `total` counts their categorised events. */
export function categoryFacts(log: EventLog, p: number, cutoff: number, horizonMs: number): { pairs: PairFacts[]; total: number } {
  const byCat = new Map<number, PairFacts>();
  let total = 0;
  for (let i = log.start[p]; i < log.start[p + 1] && log.time[i] < cutoff; i++) {
    const c = log.category[i];
    if (c < 0) continue;
    total++;
    let f = byCat.get(c);
    if (!f) byCat.set(c, (f = { category: c, lastTouch: 0, views: 0, viewsLast: 0, carts: 0, likes: 0, dislikes: 0, purchases: [], events: 0 }));
    const t = log.time[i];
    f.lastTouch = t;
    f.events++;
    switch (log.kind[i]) {
      case KIND.view:
        f.views++;
        if (cutoff - t <= horizonMs) f.viewsLast++;
        break;
      case KIND.cart:
        f.carts++;
        break;
      case KIND.like:
        f.likes++;
        break;
      case KIND.dislike:
        f.dislikes++;
        break;
      case KIND.purchase: {
        const prev = f.purchases.at(-1);
        if (prev === undefined || t - prev >= ORDER_GAP_MS) f.purchases.push(t);
        break;
      }
    }
  }
  return { pairs: [...byCat.values()], total };
}

/** Whether person p bought in category c in [from, to). */
export function boughtIn(log: EventLog, p: number, c: number, from: number, to: number): boolean {
  for (let i = log.start[p]; i < log.start[p + 1]; i++) {
    const t = log.time[i];
    if (t >= to) break;
    if (t >= from && log.kind[i] === KIND.purchase && log.category[i] === c) return true;
  }
  return false;
}

/** The categories person p bought in during [from, to). */
export function categoriesBought(log: EventLog, p: number, from: number, to: number): Set<number> {
  const out = new Set<number>();
  for (let i = log.start[p]; i < log.start[p + 1]; i++) {
    const t = log.time[i];
    if (t >= to) break;
    if (t >= from && log.kind[i] === KIND.purchase && log.category[i] >= 0) out.add(log.category[i]);
  }
  return out;
}

/** Whether person p did anything in [from, to). */
export function activeIn(log: EventLog, p: number, from: number, to: number): boolean {
  for (let i = log.start[p]; i < log.start[p + 1]; i++) {
    const t = log.time[i];
    if (t >= to) return false;
    if (t >= from) return true;
  }
  return false;
}
