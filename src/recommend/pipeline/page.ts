import type { Catalog } from '../../catalog/catalog.ts';
import type { RecContext } from '../../domain/schemas.ts';
import { topK } from '../models/top-k.ts';
import { diversify, pin, scoreRules, type RuleT } from '../rules.ts';

/** What the page asked to leave out or keep to: hard filters, applied whatever the consent. */
export interface PageFilters {
  excluded: ReadonlySet<string>;
  /** Item ids the person has any event with, left out when `excludeSeen`. */
  seen: ReadonlySet<string>;
  excludeSeen: boolean;
  /** Item ids bought (and not returned), left out unless `includePurchased` or due again. */
  bought: ReadonlySet<string>;
  includePurchased: boolean;
  due: ReadonlySet<string>;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
}

export function keepFilter(catalog: Catalog, f: PageFilters): (i: number) => boolean {
  return (i) => {
    if (!catalog.available[i]) return false;
    const id = catalog.items[i].id;
    if (f.excluded.has(id)) return false;
    if (f.excludeSeen && f.seen.has(id)) return false;
    if (!f.includePurchased && f.bought.has(id) && !f.due.has(id)) return false;
    if (f.category && !catalog.inCategory(i, f.category)) return false;
    const p = catalog.price[i];
    if (f.minPrice !== undefined && !(p >= f.minPrice)) return false;
    if (f.maxPrice !== undefined && !(p <= f.maxPrice)) return false;
    return true;
  };
}

export interface Page {
  /** Catalogue indices, best first, at most n. */
  top: number[];
  pinned: Set<number>;
  /** Names of the rules that were applied, for the explanation. */
  applied: string[];
}

/**
 * Rules, then the page: business rules rescore and filter, the best candidates are taken, no
 * category fills more than `maxCategoryShare` (when diversity is on), pinned items go to their places.
 * Rescoring happens in place on `scores`.
 */
export function composePage(
  scores: Float64Array,
  catalog: Catalog,
  keep: (i: number) => boolean,
  opts: { rules: readonly RuleT[]; context: RecContext; n: number; maxCategoryShare: number; diversity: boolean },
): Page {
  const ruled = scoreRules(catalog.items, scores, opts.rules, opts.context);
  const allowed = (i: number) => keep(i) && ruled.keep(i);
  const candidates = Array.from(topK(scores, Math.min(catalog.size, opts.n * 5), allowed));
  const leaf = (i: number) => catalog.items[i].categories?.at(-1)?.toLowerCase();
  const varied = opts.diversity ? diversify(candidates, leaf, opts.n, opts.maxCategoryShare) : candidates.slice(0, opts.n);
  const { list, pinned, applied } = pin(varied, opts.rules, opts.context, (id) => catalog.index.get(id), allowed, opts.n);
  return { top: list, pinned, applied: [...ruled.applied, ...applied] };
}
