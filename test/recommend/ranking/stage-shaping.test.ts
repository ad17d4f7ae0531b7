import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/catalog.ts';
import type { StoredItem } from '../../../src/domain/schemas.ts';
import { emptyProfile } from '../../../src/profile/profile.ts';
import { HYBRID_DEFAULTS } from '../../../src/recommend/models/hybrid.ts';
import {
  CROSS_SELL_DISCOUNT,
  CROSS_SELL_WINDOW_DAYS,
  DISCOVERY_BOOST,
  discoveryLift,
  recentlyBought,
  shapeByStage,
} from '../../../src/recommend/stage-shaping.ts';

const item = (id: string, categories: string[]): StoredItem => ({ id, title: id, categories, available: true, updatedAt: 0 });
const catalog = new Catalog([
  item('shoe1', ['sport', 'shoes']),
  item('shoe2', ['sport', 'shoes']),
  item('sock', ['sport', 'socks']),
  item('lamp', ['home', 'lamps']),
]);
const trend = Float64Array.from([0.01, 0.01, 0.01, 0.01]);

describe('funnel-stage shaping', () => {
  it('lifts unseen items of the categories a browsing visitor likes, in proportion to the affinity', () => {
    const p = { ...emptyProfile(0), categories: { shoes: 4, home: 2, socks: -1 } };
    const scores = Float64Array.from([0.5, 0.5, 0.5, 0.5]);
    shapeByStage(scores, trend, 'browsing', p, new Set(['shoe1']), new Set(), new Set(), catalog);
    const lift = discoveryLift(1); // one item seen
    expect(scores[0]).toBe(0.5); // seen: not lifted
    expect(scores[1]).toBeCloseTo(0.5 + lift);
    expect(scores[2]).toBe(0.5); // disliked category: not lifted
    expect(scores[3]).toBeCloseTo(0.5 + lift / 2);
  });

  it('lifts less as the history grows: full for a visitor with none, half at the hybrid user evidence, next to nothing for a long history', () => {
    expect(discoveryLift(0)).toBe(DISCOVERY_BOOST);
    expect(discoveryLift(HYBRID_DEFAULTS.userEvidence)).toBeCloseTo(DISCOVERY_BOOST / 2);
    expect(discoveryLift(300)).toBeLessThan(DISCOVERY_BOOST / 50);
    const p = { ...emptyProfile(0), categories: { shoes: 4 } };
    const seen = (n: number) => new Set(['shoe1', ...Array.from({ length: n - 1 }, (_, k) => `gone${k}`)]);
    const lifted = (n: number) => {
      const scores = Float64Array.from([0.5, 0.5, 0.5, 0.5]);
      shapeByStage(scores, trend, 'browsing', p, seen(n), new Set(), new Set(), catalog);
      return scores[1] - 0.5;
    };
    expect(lifted(1)).toBeCloseTo(discoveryLift(1));
    expect(lifted(200)).toBeCloseTo(discoveryLift(200));
    expect(lifted(200)).toBeLessThan(lifted(1) / 20);
  });

  const DAY = 86_400_000;
  const NOW = 100 * DAY;

  it('gives a customer cross-sell: more of the kind just bought sinks, other kinds keep their score, what is due is not sunk', () => {
    const p = { ...emptyProfile(0), lastSeen: NOW, purchases: 1, boughtAt: { shoe1: NOW - DAY } };
    const scores = Float64Array.from([0.5, 0.9, 0.6, 0.4]);
    shapeByStage(scores, trend, 'customer', p, new Set(), new Set(['shoe1']), new Set(['lamp']), catalog);
    expect(scores[1]).toBeCloseTo(0.01 + (0.9 - 0.01) * CROSS_SELL_DISCOUNT);
    expect(scores[2]).toBe(0.6); // same top category, other kind: untouched
    expect(scores[3]).toBe(0.4); // lifted by boostDue (test/recommend/rebuy.test.ts), whatever the stage
  });

  it("sinks only what was bought within the window before the person's latest event: a repeat buyer keeps their own taste", () => {
    const edge = NOW - CROSS_SELL_WINDOW_DAYS * DAY;
    const p = { ...emptyProfile(0), lastSeen: NOW, purchases: 3, boughtAt: { shoe1: edge - 1, sock: edge, lamp: NOW } };
    // The lamp was returned (not in `bought`), shoe1 is older than the window, the sock is at its edge.
    expect(recentlyBought(p, new Set(['shoe1', 'sock']))).toEqual(['sock']);
    // A purchase the profile holds no time for (older profiles, beyond its last 200) is not recent.
    expect(recentlyBought({ ...p, boughtAt: {} }, new Set(['sock']))).toEqual([]);
    const scores = Float64Array.from([0.5, 0.9, 0.6, 0.4]);
    shapeByStage(scores, trend, 'loyal', p, new Set(), new Set(['shoe1', 'sock']), new Set(), catalog);
    expect(scores[1]).toBe(0.9); // shoes: bought before the window, not sunk
    expect(scores[2]).toBeCloseTo(0.01 + (0.6 - 0.01) * CROSS_SELL_DISCOUNT); // socks: just bought
    expect(scores[3]).toBe(0.4);
  });

  it('leaves everyone else alone', () => {
    const scores = Float64Array.from([0.5, 0.9, 0.6, 0.4]);
    shapeByStage(scores, trend, 'considering', { ...emptyProfile(0), categories: { shoes: 1 } }, new Set(), new Set(), new Set(), catalog);
    shapeByStage(scores, trend, 'browsing', null, new Set(), new Set(), new Set(), catalog);
    expect([...scores]).toEqual([0.5, 0.9, 0.6, 0.4]);
  });
});
