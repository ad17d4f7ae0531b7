import type { Catalog } from '../../catalog/catalog.ts';
import type { Profile } from '../../profile/profile.ts';

/** Score taken off per doubling of the price above the person's band (personal scores top out at 1). */
export const PRICE_PENALTY = 0.3;
/** Items far below the band sink at half that rate: a bargain hurts less than a price shock. */
const BELOW_BAND_FACTOR = 0.5;
/** Engagements with a priced item needed before the band is trusted. */
const MIN_PRICE_EVIDENCE = 2;
/** Score taken off an item written in another language than the person reads. */
export const LANGUAGE_PENALTY = 0.35;

export interface PriceBand {
  low: number;
  high: number;
  /** The weighted average price of what the person engaged with. */
  average: number;
}

/**
 * The price range a person shops in, from their profile: up to twice their average (or their dearest
 * engagement, if lower), down to a quarter of it. Null without enough priced engagements.
 */
export function personPriceBand(p: Profile | null): PriceBand | null {
  if (!p || p.price.weight < MIN_PRICE_EVIDENCE || p.price.max === null) return null;
  const average = p.price.sum / p.price.weight;
  if (!(average > 0)) return null;
  const high = Math.max(average * 1.25, Math.min(p.price.max, average * 2));
  const low = average / 4;
  return { low, high, average };
}

/** The penalty for a price outside a band: grows with the log of the distance, zero inside. */
export function pricePenalty(price: number, band: PriceBand): number {
  if (!(price > 0)) return 0;
  if (price > band.high) return PRICE_PENALTY * Math.log2(price / band.high);
  if (price < band.low) return BELOW_BAND_FACTOR * PRICE_PENALTY * Math.log2(band.low / price);
  return 0;
}

/** Lowers scores of items outside the person's price band; returns how many items it lowered. */
export function shapeByPrice(scores: Float64Array, catalog: Catalog, band: PriceBand): number {
  let lowered = 0;
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) continue;
    const cut = pricePenalty(catalog.price[i], band);
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

/**
 * Lowers items written in another language, only when the catalogue has items in the person's
 * language (a one-language shop is left alone); returns how many it lowered.
 */
export function shapeByLanguage(scores: Float64Array, catalog: Catalog, language: string): number {
  let own = 0;
  for (const it of catalog.items) if (it.language === language) own++;
  if (own === 0) return 0;
  let lowered = 0;
  for (let i = 0; i < scores.length; i++) {
    const l = catalog.items[i].language;
    if (Number.isNaN(scores[i]) || !l || l === language) continue;
    scores[i] -= LANGUAGE_PENALTY;
    lowered++;
  }
  return lowered;
}
