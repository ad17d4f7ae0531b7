import type { EventType, StoredItem } from '../domain/schemas.ts';

const VERBS: Partial<Record<EventType, string>> = {
  view: 'viewed',
  click: 'looked at',
  add_to_cart: 'added to your cart',
  purchase: 'bought',
  rating: 'rated',
  like: 'liked',
  email_click: 'opened',
};

/** "Because you bought Trail Runner 2" */
export function becauseReason(type: EventType, source: StoredItem | undefined, sourceId: string): string {
  return `Because you ${VERBS[type] ?? 'engaged with'} ${source?.title ?? sourceId}`;
}

export function similarReason(source: StoredItem | undefined, sourceId: string): string {
  return `Often chosen together with ${source?.title ?? sourceId}`;
}

export function filterReason(f: { category?: string; minPrice?: number; maxPrice?: number }, currency: string | undefined): string | null {
  const parts: string[] = [];
  if (f.category) parts.push(f.category);
  const cur = currency ? ` ${currency === 'EUR' ? '€' : currency === 'USD' ? '$' : currency}` : '';
  if (f.minPrice !== undefined && f.maxPrice !== undefined) parts.push(`between ${f.minPrice} and ${f.maxPrice}${cur}`);
  else if (f.maxPrice !== undefined) parts.push(`under ${f.maxPrice}${cur}`);
  else if (f.minPrice !== undefined) parts.push(`from ${f.minPrice}${cur}`);
  return parts.length ? `Matches: ${parts.join(', ')}` : null;
}

// The fixed reasons a recommendation may carry: the recommendation log keeps them as one-letter
// codes and `/why` spells them out again, so they must read exactly as the answer wrote them.
export const RESTOCK_REASON = 'Time to restock? You buy this regularly';
export const FEATURED_REASON = 'Featured';
export const NEW_REASON = 'New in the catalogue';
export const PRICE_BAND_REASON = 'In your usual price range';

/** "Matches your interest in running" */
export function interestReason(category: string): string {
  return `Matches your interest in ${category}`;
}

/** "Trending in shoes", from the item's first category. */
export function trendingReason(item: Pick<StoredItem, 'categories'> | undefined): string {
  const c = item?.categories?.[0];
  return c ? `Trending in ${c}` : 'Trending now';
}

/**
 * The reason an item owes to one history entry: "Often chosen together with X" for the item in view on
 * an item page (type `in_view`), else "Because you viewed X". Used when answering and when a compact
 * log is spelled out again, so both say the same.
 */
export function basedOnReason(context: string, type: string | null | undefined, title: string | null | undefined, itemId: string): string {
  const source = title ? { title } : undefined;
  if (context === 'item' && type === 'in_view') return similarReason(source as Parameters<typeof similarReason>[0], itemId);
  return becauseReason((type && type !== 'in_view' ? type : 'view') as EventType, source as Parameters<typeof becauseReason>[1], itemId);
}
