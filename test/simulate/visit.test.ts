import { describe, expect, it } from 'vitest';
import { EventInput } from '../../src/domain/schemas.ts';
import { TAOBAO_FUNNEL } from '../../src/simulate/funnel.ts';
import { createPopulation, fits, hiddenUtility, type SimShopper } from '../../src/simulate/population.ts';
import { createRandom } from '../../src/simulate/random.ts';
import { shopOf } from '../../src/simulate/run.ts';
import { referenceUtility, simulateVisit, type ShownPage, type VisitWorld } from '../../src/simulate/visit.ts';
import type { CatalogItem } from '../../src/simulate/catalog.ts';

const SEED = 11;
const { catalog, byType, appeal } = shopOf(SEED, 300);
const people = () => createPopulation({ seed: SEED, count: 300, catalog });
const baseWorld = (shoppers: SimShopper[]): VisitWorld => ({ byType, appeal, referenceUtility: referenceUtility(shoppers, byType, appeal), surveys: true });
const utilityOf = (s: SimShopper, it: CatalogItem) => hiddenUtility(s, it, appeal.get(it.id) ?? 0);

/** The 10 items that fit the shopper best, or 10 items from categories they do not shop in at all. */
function fittingPage(s: SimShopper): ShownPage {
  const items = catalog
    .filter((it) => fits(s, it))
    .sort((a, b) => utilityOf(s, b) - utilityOf(s, a))
    .slice(0, 10);
  return { recommendationId: 'rec-fit', items };
}
function misfitPage(s: SimShopper): ShownPage {
  const cats = new Set(s.shopper.taste.categories.map((c) => c.value));
  return { recommendationId: 'rec-misfit', items: catalog.filter((it) => !cats.has(it.categories[0])).slice(0, 10) };
}

/** Each shopper visits up to `visits` times (stopping when they leave), always shown `page(s)`. */
function run(shoppers: SimShopper[], page: (s: SimShopper) => ShownPage, visits: number, world = baseWorld(shoppers)) {
  let left = 0;
  let fitting = 0;
  let shown = 0;
  let utility = 0;
  for (const s of shoppers) {
    for (let v = 0; v < visits && !s.churned; v++) {
      const out = simulateVisit(createRandom(SEED, `visit:${s.id}:${v}`), s, page(s), world, Date.UTC(2025, 0, 1 + v, 12), `o-${s.id}-${v}`);
      fitting += out.fitting;
      shown += out.shown;
      utility += out.shownUtility;
    }
    if (s.churned) left++;
  }
  return { left, fitShare: fitting / shown, utility: utility / shown, mood: shoppers.reduce((a, s) => a + s.satisfaction, 0) / shoppers.length };
}

describe('simulateVisit', () => {
  it('a shopper shown only items outside their taste grows unhappy and leaves sooner than one shown what fits', () => {
    const misfit = run(people(), misfitPage, 12);
    const fit = run(people(), fittingPage, 12);
    expect(misfit.fitShare).toBe(0);
    expect(fit.fitShare).toBeGreaterThan(0.9);
    expect(misfit.mood).toBeLessThan(0.15);
    // The best fitting items are better than the shopper's own picks on average; other categories' far worse.
    expect(fit.utility).toBeGreaterThan(0);
    expect(misfit.utility).toBeLessThan(-2);
    expect(fit.mood).toBeGreaterThan(0.85);
    // Hazard 0.003 + 0.05·(1 − mood)²: about 40 % of 300 leave within 12 misfit visits, a few when it fits.
    expect(misfit.left).toBeGreaterThan(3 * fit.left);
    expect(misfit.left).toBeGreaterThan(60);
  });

  it('follows the calibrated funnel for an item exactly as good as their own picks (click, cart, buy)', () => {
    const [s0] = people();
    const item = catalog.find((it) => it.available !== false)!;
    // Reference utility = this item's: every rate is the calibrated one. Every shown item is clicked, no own browsing.
    const world: VisitWorld = { byType, appeal, referenceUtility: utilityOf(s0, item), surveys: false, model: { clickAtReference: 0.999999, browseChance: 0 } };
    let carts = 0;
    let buys = 0;
    const n = 20_000;
    for (let k = 0; k < n; k++) {
      const s: SimShopper = { ...s0, bought: new Set(), spentThisMonth: 0, monthlyBudget: Infinity, satisfaction: 0.5, churned: false };
      const out = simulateVisit(createRandom(SEED, `funnel:${k}`), s, { items: [item] }, world, Date.UTC(2025, 0, 1), `o-${k}`);
      carts += out.carts;
      buys += out.bought.length;
    }
    const cartRate = carts / n;
    const buyRate = buys / carts;
    // Within four standard errors of the calibrated rates.
    expect(Math.abs(cartRate - TAOBAO_FUNNEL.cartPerView)).toBeLessThan(4 * Math.sqrt((TAOBAO_FUNNEL.cartPerView * (1 - TAOBAO_FUNNEL.cartPerView)) / n));
    expect(Math.abs(buyRate - TAOBAO_FUNNEL.buyPerCart)).toBeLessThan(4 * Math.sqrt((TAOBAO_FUNNEL.buyPerCart * (1 - TAOBAO_FUNNEL.buyPerCart)) / carts));
  });

  it('sends valid events: clicks and page purchases cite the answer, surveys only when the engine takes them', () => {
    const shoppers = people();
    const withSurveys = baseWorld(shoppers);
    const events = [];
    let answers = 0;
    let pagePurchases = 0;
    for (const s of shoppers) {
      const out = simulateVisit(
        createRandom(SEED, `events:${s.id}`),
        s,
        fittingPage(s),
        { ...withSurveys, model: { surveyChance: 1 } },
        Date.UTC(2025, 0, 1, 12),
        `o-${s.id}`,
      );
      events.push(...out.events, ...out.returns.map((r) => r.event));
      if (out.nps !== null) answers++;
      pagePurchases += out.boughtFromPage;
    }
    for (const e of events) expect(EventInput.safeParse(e).success, JSON.stringify(e)).toBe(true);
    expect(events.filter((e) => e.type === 'survey')).toHaveLength(answers);
    expect(answers).toBe(shoppers.length);
    for (const e of events.filter((x) => x.type === 'click')) expect(e.recommendationId).toBe('rec-fit');
    expect(events.filter((e) => e.type === 'purchase' && e.recommendationId === 'rec-fit')).toHaveLength(pagePurchases);
    expect(pagePurchases).toBeGreaterThan(0);

    const quiet = people().map((s) =>
      simulateVisit(
        createRandom(SEED, `events:${s.id}`),
        s,
        fittingPage(s),
        { ...withSurveys, surveys: false, model: { surveyChance: 1 } },
        Date.UTC(2025, 0, 1, 12),
        `o-${s.id}`,
      ),
    );
    expect(quiet.flatMap((o) => o.events).filter((e) => e.type === 'survey')).toHaveLength(0);
    expect(quiet.every((o) => o.nps !== null)).toBe(true);
  });

  it('sends returns 2 to 10 days after the purchase, for the same order', () => {
    const start = Date.UTC(2025, 0, 1, 12);
    const returns = people().flatMap(
      (s) =>
        simulateVisit(
          createRandom(SEED, `ret:${s.id}`),
          s,
          misfitPage(s),
          { ...baseWorld([s]), model: { returnBase: 1, clickAtReference: 0.999999 } },
          start,
          `o-${s.id}`,
        ).returns,
    );
    expect(returns.length).toBeGreaterThan(0);
    for (const r of returns) {
      expect(r.at - start).toBeGreaterThanOrEqual(2 * 86_400_000);
      expect(r.at - start).toBeLessThanOrEqual(10 * 86_400_000);
      expect(r.event).toMatchObject({ type: 'return', timestamp: r.at, properties: { orderId: expect.stringMatching(/^o-u-/) } });
    }
  });
});
