/**
 * The funnel rates the simulated shoppers follow (view → add to cart → purchase), calibrated on the
 * Taobao UserBehavior sample (Alibaba Tianchi dataset 649: the first 814 users, 2017-11-25 to
 * 12-03; see ../shared/data/ecommerce-taobao-userbehavior-sample/SOURCE.md). The constants are
 * shipped here so nothing at run time reads that file; `afin simulate --calibrate` recomputes them
 * from it with {@link funnelFigures}.
 */

/** One row of a behaviour log: who did what to which item, when (seconds). */
export interface BehaviourRow {
  user: string;
  item: string;
  /** Taobao's `pv` (page view), `cart`, `fav` or `buy`. */
  type: string;
  /** Unix seconds. */
  time: number;
}

export interface FunnelFigures {
  users: number;
  rows: number;
  views: number;
  carts: number;
  buys: number;
  /** Add-to-cart events per item page view. */
  cartPerView: number;
  /** Purchases per add-to-cart event. */
  buyPerCart: number;
  /** Purchases per item page view. */
  buyPerView: number;
  /** Sessions (a gap of more than 30 minutes starts a new one). */
  sessions: number;
  viewsPerSession: number;
  /** Share of a person's active days on which they bought something. */
  buyingDayShare: number;
}

/** Taobao's official window: rows outside it are a known quirk of the file and are left out. */
export const TAOBAO_WINDOW = { from: 1511539200, to: 1512316800 } as const;
const SESSION_GAP_S = 30 * 60;

/** The funnel figures of a behaviour log (rows in any order; those outside `window` are ignored). */
export function funnelFigures(rows: readonly BehaviourRow[], window: { from: number; to: number } = TAOBAO_WINDOW): FunnelFigures {
  const inside = rows.filter((r) => r.time >= window.from && r.time < window.to);
  const count = (type: string) => inside.filter((r) => r.type === type).length;
  const views = count('pv');
  const carts = count('cart');
  const buys = count('buy');
  const byUser = new Map<string, BehaviourRow[]>();
  for (const r of inside) {
    const list = byUser.get(r.user) ?? [];
    list.push(r);
    byUser.set(r.user, list);
  }
  let sessions = 0;
  let activeDays = 0;
  let buyingDays = 0;
  for (const list of byUser.values()) {
    list.sort((a, b) => a.time - b.time);
    let last = -Infinity;
    for (const r of list) {
      if (r.time - last > SESSION_GAP_S) sessions++;
      last = r.time;
    }
    const days = new Map<number, boolean>();
    for (const r of list) {
      const d = Math.floor((r.time - window.from) / 86_400);
      days.set(d, (days.get(d) ?? false) || r.type === 'buy');
    }
    activeDays += days.size;
    for (const bought of days.values()) if (bought) buyingDays++;
  }
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    users: byUser.size,
    rows: inside.length,
    views,
    carts,
    buys,
    cartPerView: ratio(carts, views),
    buyPerCart: ratio(buys, carts),
    buyPerView: ratio(buys, views),
    sessions,
    viewsPerSession: ratio(views, sessions),
    buyingDayShare: ratio(buyingDays, activeDays),
  };
}

/**
 * The rates the shoppers follow for an item as good as the ones they pick themselves (see
 * `visit.ts`: better items do better, worse ones worse, on a logistic scale around these).
 *
 * From `afin simulate --calibrate` on the Taobao sample (84,252 rows in the window, 814 users):
 * 75,658 page views, 4,494 adds to cart, 1,749 purchases: 5.94 % of views are carted and there are
 * 0.389 purchases per add to cart (2.31 % of views). Every simulated purchase goes through the cart,
 * so the buy-per-cart ratio is the chance a carted item is bought. Not matched, on purpose: Taobao's
 * 5.38 views per session and purchases on 19.8 % of active days are those of an app's heaviest users;
 * a simulated visit is shorter (see `SHOPPER_MODEL`).
 */
export const TAOBAO_FUNNEL = {
  cartPerView: 0.0594,
  buyPerCart: 0.389,
} as const;
export type FunnelRates = { cartPerView: number; buyPerCart: number };
