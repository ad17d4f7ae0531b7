/**
 * A turn's grounded request folded into what the conversation wants: a product named for the first
 * time, or another product than before, starts a new request (the old product, category and
 * measures go); measures said before any product ("something for 3 people") wait for it.
 */
import type { Wanted } from '../catalog-search.ts';
import type { Slots } from '../nlu/slots.ts';
import type { Measures, ProductAsk } from './request.ts';

export interface Grounded {
  ask?: ProductAsk;
  measures: Measures;
  /** The product named differs from the one the conversation was about. */
  newAsk: boolean;
}

export function groundedOf(w: Wanted, ask: ProductAsk | undefined, measures: Measures): Grounded {
  if (ask?.purpose && (w.ask || w.productType || w.category)) ask = undefined;
  return { ask, measures, newAsk: Boolean(ask && (!w.ask || w.ask.label !== ask.label)) };
}

export function mergeGrounded(w: Wanted, g: Grounded, slots: Slots, text: string): Wanted {
  const next: Wanted = { ...w };
  const said = Object.keys(g.measures).length > 0;
  if (g.ask && g.newAsk) {
    const replacing = Boolean(w.ask);
    next.ask = g.ask;
    next.words = text.slice(0, 300);
    if (replacing) {
      // Another product: what was said about the old one does not carry over.
      next.measures = said ? { ...g.measures } : undefined;
      if (!slots.productType) next.productType = undefined;
      if (!slots.category) next.category = undefined;
      next.below = undefined;
      next.above = undefined;
      next.use = slots.use;
      next.colour = slots.colour;
      next.brand = slots.brand;
      next.tags = slots.tags;
      return next;
    }
  } else if (g.ask && !w.words) next.words = text.slice(0, 300);
  if (said) next.measures = { ...(w.measures ?? {}), ...g.measures };
  return next;
}
