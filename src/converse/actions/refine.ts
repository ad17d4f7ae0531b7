/** "Cheaper", "more expensive", "another colour", "another brand": the list shown, reshaped. */
import type { StoredItem } from '../../domain/schemas.ts';
import { facetsOf, mergeWanted } from '../catalog-search.ts';
import type { Deps, Outcome, Turn } from '../turn/types.ts';
import { recommendFlow, showItems } from './recommend.ts';

export async function refine(d: Deps, t: Turn): Promise<Outcome> {
  const s = t.session;
  const sl = t.u.slots;
  if (s.shown.length === 0) {
    // Nothing on screen yet: the message adds to the request, and the questions go on.
    s.wanted = mergeWanted(s.wanted, sl);
    return recommendFlow(d, t);
  }
  const prices = s.shown.map((i) => i.price).filter((p): p is number => p !== undefined);
  let w = mergeWanted(s.wanted, { ...sl, budget: undefined });
  if (sl.comparative === 'cheaper' && prices.length) w = { ...w, below: Math.min(...prices), above: undefined };
  else if (sl.comparative === 'pricier' && prices.length) {
    // Asking for dearer things lifts the ceiling the person set before.
    w = {
      ...w,
      above: Math.max(...prices),
      below: undefined,
      budget: w.budget && w.budget.min !== undefined ? { min: w.budget.min, currency: w.budget.currency } : undefined,
    };
  } else if (sl.budget) w = { ...w, budget: sl.budget, below: undefined, above: undefined };
  const catalog = await d.catalog(t.ws);
  const shownItems = s.shown.map((i) => catalog.get(i.id)).filter((i): i is StoredItem => Boolean(i));
  if (sl.change?.includes('colour')) {
    w.colour = undefined;
    w.excluded = { ...w.excluded, colours: [...new Set([...w.excluded.colours, ...shownItems.flatMap((i) => [...facetsOf(i).colours])])] };
  }
  if (sl.change?.includes('brand')) {
    w.brand = undefined;
    w.excluded = {
      ...w.excluded,
      brands: [...new Set([...w.excluded.brands, ...shownItems.map((i) => facetsOf(i).brand).filter((b): b is string => Boolean(b))])],
    };
  }
  s.rejected = [...new Set([...s.rejected, ...s.shown.map((i) => i.id)])];
  s.wanted = w;
  s.asked = ['budget', 'use']; // a refinement recommends at once
  return showItems(d, t);
}
