import type { Catalog } from '../../catalog/catalog.ts';
import type { Profile } from '../../profile/profile.ts';

/** Score taken off per unit of relative price position above the person's band (positions run 0-1). */
export const PRICE_PENALTY = 1.5;
/** Items far below the band sink at a third of that rate: a bargain hurts less than a price shock. */
const BELOW_BAND_FACTOR = 1 / 3;
/** How far above and below their usual position a person still shops without a penalty. */
const BAND_ABOVE = 0.2;
const BAND_BELOW = 0.45;
/** Weighted engagements with priced items needed before the band is trusted. */
const MIN_PRICE_EVIDENCE = 3;
/** A category needs this many priced items to rank prices within it; smaller ones use the whole catalogue. */
const MIN_GROUP = 5;
/** Score taken off an item written in another language than the person reads. */
export const LANGUAGE_PENALTY = 0.35;

/**
 * Where a person shops within each category's price range, as a relative position (0 the cheapest of
 * the category, 1 the dearest): a runner who buys mid-range shoes buys mid-range socks too, while
 * euros are not comparable between a sofa and a book.
 */
export interface PriceBand {
  /** Weighted mean relative position of the priced items the person engaged with. */
  level: number;
  low: number;
  high: number;
}

const positionsCache = new WeakMap<Catalog, Float64Array>();

/** Each item's price position within its leaf category (mid-rank, 0-1), or the catalogue's; NaN without a price. */
export function pricePositions(catalog: Catalog): Float64Array {
  let pos = positionsCache.get(catalog);
  if (pos) return pos;
  pos = new Float64Array(catalog.size).fill(Number.NaN);
  const groups = new Map<string, number[]>();
  const all: number[] = [];
  for (let i = 0; i < catalog.size; i++) {
    if (!(catalog.price[i] >= 0)) continue;
    all.push(i);
    const leaf = catalog.items[i].categories?.at(-1)?.toLowerCase();
    if (leaf === undefined) continue;
    let g = groups.get(leaf);
    if (!g) groups.set(leaf, (g = []));
    g.push(i);
  }
  const rank = (members: number[], only?: (i: number) => boolean) => {
    const sorted = [...members].sort((x, y) => catalog.price[x] - catalog.price[y]);
    let k = 0;
    while (k < sorted.length) {
      let e = k;
      while (e + 1 < sorted.length && catalog.price[sorted[e + 1]] === catalog.price[sorted[k]]) e++;
      const mid = sorted.length > 1 ? (k + e) / 2 / (sorted.length - 1) : 0.5;
      for (let t = k; t <= e; t++) if (!only || only(sorted[t])) pos![sorted[t]] = mid;
      k = e + 1;
    }
  };
  rank(all);
  for (const g of groups.values()) if (g.length >= MIN_GROUP) rank(g);
  positionsCache.set(catalog, pos);
  return pos;
}

/**
 * The person's band of relative price positions, from the priced items of their positive history
 * (weighted as the history is). Null without enough evidence.
 */
export function personPriceBand(
  history: ReadonlyArray<{ itemId: string; entry: { weight: number }; event: unknown }>,
  catalog: Catalog,
  positions: Float64Array,
): PriceBand | null {
  let sum = 0;
  let weight = 0;
  for (const h of history) {
    if (h.event === null || !(h.entry.weight > 0)) continue;
    const i = catalog.index.get(h.itemId);
    if (i === undefined || Number.isNaN(positions[i])) continue;
    sum += positions[i] * h.entry.weight;
    weight += h.entry.weight;
  }
  if (weight < MIN_PRICE_EVIDENCE) return null;
  const level = sum / weight;
  return { level, low: Math.max(0, level - BAND_BELOW), high: Math.min(1, level + BAND_ABOVE) };
}

/** The penalty for a relative price position outside a band: grows with the distance, zero inside. */
export function pricePenalty(position: number, band: PriceBand): number {
  if (Number.isNaN(position)) return 0;
  if (position > band.high) return PRICE_PENALTY * (position - band.high);
  if (position < band.low) return BELOW_BAND_FACTOR * PRICE_PENALTY * (band.low - position);
  return 0;
}

/** Lowers scores of items outside the person's price band; returns how many items it lowered. */
export function shapeByPrice(scores: Float64Array, positions: Float64Array, band: PriceBand): number {
  let lowered = 0;
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) continue;
    const cut = pricePenalty(positions[i], band);
    if (cut > 0) {
      scores[i] -= cut;
      lowered++;
    }
  }
  return lowered;
}

/** The language a person reads: their own trait, else the language of most items they engaged with. */
export function readingLanguage(traitLanguage: unknown, profile: Profile | null): string | null {
  if (typeof traitLanguage === 'string' && traitLanguage) return traitLanguage;
  if (!profile) return null;
  let best: string | null = null;
  for (const [lang, n] of Object.entries(profile.languages)) if (best === null || n > profile.languages[best]) best = lang;
  return best;
}

const languagesCache = new WeakMap<Catalog, Set<string>>();

/** The languages the catalogue's items are written in (computed once per snapshot). */
function languagesOf(catalog: Catalog): Set<string> {
  let langs = languagesCache.get(catalog);
  if (!langs) {
    langs = new Set();
    for (const it of catalog.items) if (it.language) langs.add(it.language);
    languagesCache.set(catalog, langs);
  }
  return langs;
}

/**
 * Lowers items written in another language, only when the catalogue has items in the person's
 * language (a one-language shop is left alone); returns how many it lowered.
 */
export function shapeByLanguage(scores: Float64Array, catalog: Catalog, language: string): number {
  if (!languagesOf(catalog).has(language)) return 0;
  let lowered = 0;
  for (let i = 0; i < scores.length; i++) {
    const l = catalog.items[i].language;
    if (Number.isNaN(scores[i]) || !l || l === language) continue;
    scores[i] -= LANGUAGE_PENALTY;
    lowered++;
  }
  return lowered;
}
