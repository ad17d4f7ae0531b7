import type { Catalog } from '../catalog/catalog.ts';
import type { FunnelStage, Profile } from '../profile/profile.ts';
import { HYBRID_DEFAULTS } from './models/hybrid.ts';
import { DueItems, dueStrength } from './rebuy.ts';

/**
 * How far a new browsing visitor's favourite categories lift unseen items (personal scores top out at
 * 1). The lift gives way to the personal model as the history grows, as the hybrid's collaborative
 * part takes over from content (half at `HYBRID_DEFAULTS.userEvidence` items): a person with a long
 * history is known item by item, and lifting every unseen item of three broad categories over the
 * model's picks only blurs that.
 */
export const DISCOVERY_BOOST = 0.15;

/** The discovery lift for a person who has interacted with `known` distinct items. */
export function discoveryLift(known: number): number {
  const k = HYBRID_DEFAULTS.userEvidence;
  return (DISCOVERY_BOOST * k) / (k + Math.max(0, known));
}
/** How much of its personal score an item keeps when the customer just bought in its category. */
export const CROSS_SELL_DISCOUNT = 0.6;
/**
 * "Just bought": purchases within this many days before the person's latest event (the profile's
 * `lastSeen`, as the recency stage counts back from it). Sinking every category a customer ever bought
 * in sank a repeat buyer's own taste, the kinds they keep coming back for. Chosen on the simulator's
 * validation seeds (11 and 12, never 7-9): the personalized world's pages fitted 46.0 % and 50.9 %
 * instead of 40.8 % and 45.1 %, their utility rose by 0.06 on both (see README, Simulator).
 */
export const CROSS_SELL_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * The items of `bought` the customer bought within {@link CROSS_SELL_WINDOW_DAYS} of their latest event,
 * by the profile's purchase times (an item without one, from before they were kept or beyond the
 * profile's last 200, is not recent).
 */
export function recentlyBought(profile: Profile, bought: ReadonlySet<string>): string[] {
  const since = profile.lastSeen - CROSS_SELL_WINDOW_DAYS * DAY_MS;
  const at = profile.boughtAt ?? {};
  return [...bought].filter((id) => (at[id] ?? Number.NEGATIVE_INFINITY) >= since);
}
/**
 * Lift for an item that is due to be bought again, at full strength (a category where re-buying is
 * very common, a long habit): above most of what the models propose, as "buy again" lists are.
 */
export const REPLENISH_BOOST = 1;

/**
 * The funnel stage shapes the list: a browsing visitor gets discovery within their affinities (unseen
 * items of the categories they like rise, less as their history grows: `discoveryLift`), a customer gets cross-sell (more of a category they just
 * bought in sinks: bought within `CROSS_SELL_WINDOW_DAYS`); what is due again is left to `boostDue`, whatever the stage.
 */
export function shapeByStage(
  scores: Float64Array,
  trend: Float64Array,
  stage: FunnelStage,
  profile: Profile | null,
  seen: Set<string>,
  bought: Set<string>,
  due: Set<string>,
  catalog: Catalog,
): void {
  if (!profile) return;
  if (stage === 'browsing' || stage === 'new_visitor') {
    const liked = Object.entries(profile.categories)
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3);
    const top = liked[0]?.[1] ?? 0;
    if (top <= 0) return;
    const boost = discoveryLift(seen.size);
    // Walk only the items of the liked categories (the catalogue's index), keeping each item's best share.
    const lift = new Map<number, number>();
    for (const [c, v] of liked) for (const i of catalog.byCategory.get(c.toLowerCase()) ?? []) lift.set(i, Math.max(lift.get(i) ?? 0, v / top));
    for (const [i, share] of lift) {
      if (Number.isNaN(scores[i]) || seen.has(catalog.items[i].id)) continue;
      scores[i] += boost * share;
    }
  } else if (stage === 'customer' || stage === 'loyal') {
    const boughtLeaves = new Set(
      recentlyBought(profile, bought)
        .map((id) => catalog.get(id)?.categories?.at(-1)?.toLowerCase())
        .filter((c): c is string => Boolean(c)),
    );
    for (const leaf of boughtLeaves) {
      for (const i of catalog.byCategory.get(leaf) ?? []) {
        const it = catalog.items[i];
        if (Number.isNaN(scores[i]) || due.has(it.id) || it.categories?.at(-1)?.toLowerCase() !== leaf) continue;
        scores[i] = trend[i] + (scores[i] - trend[i]) * CROSS_SELL_DISCOUNT;
      }
    }
  }
}

/**
 * Items due to be bought again rise, by how common re-buying is in their category and how settled
 * the person's habit is (a plain set of ids: full lift). Any funnel stage: a customer who has not been
 * back for months ("at risk") is exactly the one whose coffee ran out.
 */
export function boostDue(scores: Float64Array, due: ReadonlySet<string>, catalog: Catalog): void {
  for (const id of due) {
    const i = catalog.index.get(id);
    if (i === undefined || Number.isNaN(scores[i])) continue;
    const info = due instanceof DueItems ? due.info.get(id) : undefined;
    scores[i] += REPLENISH_BOOST * (info ? dueStrength(info) : 1);
  }
}
