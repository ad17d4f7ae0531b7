/**
 * Re-buys learned from the shop's own purchases: per leaf category, how often people buy the same
 * item again and after how long. Groceries, pet food or printer ink live on re-buys; a sofa does not,
 * and the shop's history says which is which, not an assumption. Pure functions over plain data.
 */
import type { StoredEvent } from '../domain/schemas.ts';

const DAY = 86_400_000;
/** Purchases of one item by one person this close together are one occasion (two lines of one order). */
export const SAME_OCCASION_MS = 60 * 60 * 1000;
/** Prior weight, in purchases, of the workspace's repeat share in a category's figure. */
export const SHARE_PRIOR = 5;
/** Prior weight, in repeat intervals, of the workspace's median interval in a category's figure. */
export const INTERVAL_PRIOR = 5;
/** A category where at least this share of purchases are repeats lets bought items back when due. */
export const COMMON_SHARE = 0.15;
/**
 * Share of the usual interval that must have passed since the last purchase, for a shop whose history
 * is too short to say (`RebuyTiming`). 0.6: chosen on the synthetic log's validation split, where it
 * lets 98 % of re-bought targets through against 94 % at 0.8, the list barely longer.
 */
export const DUE_FRACTION = 0.6;
/**
 * The shop's due window: re-buys happen this early (the 2nd percentile of the shop's own re-buy
 * times, in usual intervals) and this late (the 95th). Chosen on the synthetic log's validation split.
 */
export const EARLY_QUANTILE = 0.02;
export const LATE_QUANTILE = 0.95;
/** Re-buys needed before the shop's own window replaces the defaults. */
export const MIN_TIMING_EVIDENCE = 50;

/** What the shop's history says about re-buying in one category (or the whole workspace). */
export interface RebuyFigures {
  /** Purchase occasions seen. */
  purchases: number;
  /** Of them, repeats of an earlier purchase of the same item by the same person. */
  repeats: number;
  /** Repeat share, shrunk towards the workspace's for small categories. */
  share: number;
  /** Median days between a purchase and its repeat (shrunk likewise), null when nothing was re-bought. */
  medianDays: number | null;
}

/**
 * When, in usual intervals (the person's own median gap, else the category's), the shop's re-buys
 * happen: an item is due from `early` on; past `late` it has more likely been replaced or dropped
 * (another brand, a stopped habit), and its lift fades.
 */
export interface RebuyTiming {
  early: number;
  late: number;
  /** Re-buys the window was measured on. */
  repeats: number;
}

/** Learned at training time, stored beside the models. Categories are lower-cased leaf categories. */
export interface RebuyStats {
  version: 1;
  trainedAt: number;
  workspace: RebuyFigures;
  categories: Record<string, RebuyFigures>;
  /** Absent in figures stored before it was learned, or with too few re-buys: the defaults apply. */
  timing?: RebuyTiming;
}

/** The q-quantile of some numbers (nearest rank below); sorts in place. */
function quantile(xs: number[], q: number): number {
  xs.sort((a, b) => a - b);
  return xs[Math.floor(q * (xs.length - 1))];
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Purchase times of one person and item as occasions: sorted, lines of one order merged. */
function occasions(times: readonly number[]): number[] {
  const s = times.slice().sort((a, b) => a - b);
  const out: number[] = [];
  for (const t of s) if (out.length === 0 || t - out[out.length - 1] >= SAME_OCCASION_MS) out.push(t);
  return out;
}

/**
 * Collects purchases as they stream past (training reads events page by page), then `learn`s the
 * figures. Keeps only purchase times per person and item.
 */
export class RebuyLearner {
  private readonly times = new Map<string, Map<string, number[]>>();

  add(e: Pick<StoredEvent, 'type' | 'subject' | 'itemId' | 'timestamp'>): void {
    if (e.type !== 'purchase' || !e.itemId || !Number.isFinite(e.timestamp)) return;
    let byItem = this.times.get(e.itemId);
    if (!byItem) this.times.set(e.itemId, (byItem = new Map()));
    const l = byItem.get(e.subject);
    if (l) l.push(e.timestamp);
    else byItem.set(e.subject, [e.timestamp]);
  }

  /** The figures per leaf category (`leafOf` an item id; items without one count for the workspace only). */
  learn(leafOf: (itemId: string) => string | undefined, trainedAt: number): RebuyStats {
    const raw = new Map<string, { purchases: number; repeats: number; gaps: number[] }>();
    const all = { purchases: 0, repeats: 0, gaps: [] as number[] };
    for (const [itemId, bySubject] of this.times) {
      const leaf = leafOf(itemId)?.toLowerCase();
      let c = leaf === undefined ? undefined : raw.get(leaf);
      if (leaf !== undefined && !c) raw.set(leaf, (c = { purchases: 0, repeats: 0, gaps: [] }));
      for (const ts of bySubject.values()) {
        const occ = occasions(ts);
        for (const acc of c ? [all, c] : [all]) {
          acc.purchases += occ.length;
          acc.repeats += occ.length - 1;
          for (let k = 1; k < occ.length; k++) acc.gaps.push((occ[k] - occ[k - 1]) / DAY);
        }
      }
    }
    const wsShare = all.purchases ? all.repeats / all.purchases : 0;
    const wsMedian = median(all.gaps);
    const workspace: RebuyFigures = { purchases: all.purchases, repeats: all.repeats, share: wsShare, medianDays: wsMedian };
    const categories: Record<string, RebuyFigures> = {};
    for (const [leaf, c] of raw) {
      const share = (c.repeats + SHARE_PRIOR * wsShare) / (c.purchases + SHARE_PRIOR);
      const own = median(c.gaps);
      let medianDays: number | null = wsMedian;
      if (own !== null && wsMedian !== null) {
        // Blended in log space: intervals are ratios (a week against a month), not differences.
        const w = c.gaps.length / (c.gaps.length + INTERVAL_PRIOR);
        medianDays = Math.exp(w * Math.log(Math.max(own, 1 / 24)) + (1 - w) * Math.log(Math.max(wsMedian, 1 / 24)));
      }
      categories[leaf] = { purchases: c.purchases, repeats: c.repeats, share, medianDays };
    }
    const stats: RebuyStats = { version: 1, trainedAt, workspace, categories };
    const timing = this.timing(leafOf, stats);
    return timing ? { ...stats, timing } : stats;
  }

  /**
   * Each re-buy's gap measured as serving measures it (in the person's own usual interval so far,
   * else the category's), and the shop's due window from those.
   */
  private timing(leafOf: (itemId: string) => string | undefined, stats: RebuyStats): RebuyTiming | undefined {
    const ratios: number[] = [];
    for (const [itemId, bySubject] of this.times) {
      const categoryDays = figuresFor(stats, leafOf(itemId)).medianDays;
      for (const ts of bySubject.values()) {
        const occ = occasions(ts);
        const gaps: number[] = [];
        for (let k = 1; k < occ.length; k++) {
          const gap = (occ[k] - occ[k - 1]) / DAY;
          const usual = median(gaps) ?? categoryDays;
          if (usual !== null && usual > 0) ratios.push(gap / usual);
          gaps.push(gap);
        }
      }
    }
    if (ratios.length < MIN_TIMING_EVIDENCE) return undefined;
    return { early: quantile(ratios, EARLY_QUANTILE), late: quantile(ratios, LATE_QUANTILE), repeats: ratios.length };
  }
}

/** The figures that apply to an item: its leaf category's, else the workspace's. */
export function figuresFor(stats: RebuyStats, leaf: string | undefined): RebuyFigures {
  return (leaf !== undefined ? stats.categories[leaf.toLowerCase()] : undefined) ?? stats.workspace;
}

/** Why one item is due again, for ranking and the reason shown. */
export interface DueItem {
  /** The interval used, in days. */
  intervalDays: number;
  /** True when the interval is the person's own habit (two or more purchases), else the category's. */
  own: boolean;
  /** Purchase occasions of the item by the person. */
  times: number;
  /** The category's repeat share. */
  share: number;
  /** Time since the last purchase, in usual intervals. */
  elapsed: number;
  /** The shop's late end of re-buying, in usual intervals (Infinity: unknown). */
  late: number;
}

/** Items due to be bought again (a Set of ids, as the page filter wants), with why. */
export class DueItems extends Set<string> {
  readonly info = new Map<string, DueItem>();
}

/**
 * The person's items that are due again: bought before in a category where re-buying is common, and
 * their usual interval (their own, else the category's median) has nearly passed since the last
 * purchase. A returned item is not due. Pure: their events, the catalogue's leaf of an item, the
 * learned figures and the time in.
 */
export function dueItems(events: readonly StoredEvent[], now: number, leafOf: (itemId: string) => string | undefined, stats: RebuyStats | null): DueItems {
  const due = new DueItems();
  if (!stats) return due;
  const times = new Map<string, number[]>();
  for (const e of events) {
    if (!e.itemId) continue;
    if (e.type === 'return') times.delete(e.itemId);
    if (e.type !== 'purchase') continue;
    const l = times.get(e.itemId);
    if (l) l.push(e.timestamp);
    else times.set(e.itemId, [e.timestamp]);
  }
  const early = stats.timing?.early ?? DUE_FRACTION;
  const late = stats.timing?.late ?? Infinity;
  for (const [id, ts] of times) {
    const f = figuresFor(stats, leafOf(id));
    if (f.share < COMMON_SHARE || f.medianDays === null) continue;
    const occ = occasions(ts);
    const last = occ[occ.length - 1];
    const gaps: number[] = [];
    for (let k = 1; k < occ.length; k++) gaps.push((occ[k] - occ[k - 1]) / DAY);
    const own = median(gaps);
    const intervalDays = own ?? f.medianDays;
    const elapsed = (now - last) / (intervalDays * DAY);
    if (elapsed >= early) {
      due.add(id);
      due.info.set(id, { intervalDays, own: own !== null, times: occ.length, share: f.share, elapsed, late });
    }
  }
  return due;
}

/**
 * Where a due item lands, added to its score (`boostDue` multiplies by REPLENISH_BOOST, 1). Personal
 * scores top out at 1 and the trend and discovery lifts add at most 0.2, so at full strength a due
 * item ranks above everything the models propose, as in a "buy again" list, the longer habit first.
 * (With a full lift of 1 a due item fell below the models' favourites: on the synthetic re-buy log's
 * validation split 2.9 % of re-bought targets were missed that way against 0.1 % for "buy again".)
 */
export const ABOVE_MODELS = 1.25;
/**
 * Full strength where most of a category's purchases are re-buys; below that, due items compete with
 * the models' proposals in proportion. (At 0.3, the demo simulator's fashion categories, a quarter to a
 * third re-bought at no rhythm, put bought items above everything for 9 in 10 shoppers.)
 */
export const MOSTLY_REBUYS = 0.5;

export function dueStrength(d: DueItem): number {
  const common = Math.min(1, d.share / MOSTLY_REBUYS);
  const habit = 1 - 1 / (d.times + 1);
  // Long overdue, the item has more likely been replaced (the person's newer pick is due instead).
  const timely = d.elapsed > d.late ? d.late / d.elapsed : 1;
  return common * (ABOVE_MODELS + 0.5 * habit) * timely;
}

/** "every 3 weeks", "every 10 days", "every 2 months". */
export function everyPhrase(days: number): string {
  const d = Math.max(1, Math.round(days));
  if (d === 1) return 'every day';
  if (d === 7) return 'every week';
  const weeks = Math.round(d / 7);
  if (weeks >= 2 && weeks <= 8 && Math.abs(d - 7 * weeks) <= 1) return `every ${weeks} weeks`; // 20–22 days read as 3 weeks
  if (d < 45) return `every ${d} days`;
  const months = Math.round(d / 30.4);
  return months <= 1 ? 'every month' : `every ${months} months`;
}

/** The reason a due item carries: the person's own rhythm when known, else the category's. */
export function dueReason(due: ReadonlySet<string>, id: string): string {
  const d = due instanceof DueItems ? due.info.get(id) : undefined;
  if (!d) return 'Time to restock? You buy this regularly';
  if (d.own) return `You buy this ${everyPhrase(d.intervalDays)}`;
  return `Usually bought again after about ${Math.max(1, Math.round(d.intervalDays))} days`;
}

/** Stored beside the models (a blob, so it follows them between nodes and is replaced with them). */
export const REBUY_BLOB = 'rebuy';

export function encodeRebuy(s: RebuyStats): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(s));
}

/** The stored figures, or null for anything unreadable (a workspace trained before they existed). */
export function decodeRebuy(data: Uint8Array): RebuyStats | null {
  try {
    const s = JSON.parse(new TextDecoder().decode(data)) as RebuyStats;
    if (!(s && s.version === 1 && s.workspace && typeof s.categories === 'object')) return null;
    const t = s.timing;
    // A window that does not read as one is left out: the defaults apply.
    if (t !== undefined && !(t && t.early >= 0 && t.late >= t.early)) delete s.timing;
    return s;
  } catch {
    return null;
  }
}
