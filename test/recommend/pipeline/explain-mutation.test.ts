// explainItem's reasons and evidence, checked value by value (the mutation run's fast tests for
// src/recommend/pipeline/explain.ts; the HTTP tests reach it too, at ~30 s a mutant).
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/catalog.ts';
import type { StoredEvent, StoredItem } from '../../../src/domain/schemas.ts';
import { emptyProfile } from '../../../src/profile/profile.ts';
import { type ExplainInput, explainItem } from '../../../src/recommend/pipeline/explain.ts';
import type { HistoryPoint } from '../../../src/recommend/pipeline/history.ts';
import { DueItems } from '../../../src/recommend/rebuy.ts';

const AT = Date.UTC(2026, 10, 3, 12, 0, 0);

const items: StoredItem[] = [
  { id: 'boot', title: 'Trail Boot', categories: ['Shoes', 'Hiking'], language: 'en', available: true, updatedAt: 0 },
  { id: 'sock', title: 'Wool Sock', categories: ['Socks'], language: 'es', available: true, updatedAt: 0 },
  { id: 'bare', title: 'Plain', available: true, updatedAt: 0 },
];
const catalog = new Catalog(items);

function event(itemId: string, type: StoredEvent['type']): StoredEvent {
  return {
    messageId: `${itemId}-${type}`,
    type,
    subject: 'u',
    userId: 'u',
    anonymousId: null,
    itemId,
    value: null,
    query: null,
    channel: null,
    recommendationId: null,
    variant: null,
    timestamp: AT,
    receivedAt: AT,
    properties: null,
  };
}

const history: HistoryPoint[] = [
  { entry: { item: 0, weight: 5, time: AT }, event: event('boot', 'purchase'), itemId: 'boot' },
  { entry: { item: 1, weight: 3, time: AT }, event: null, itemId: 'sock' },
  { entry: { item: 9, weight: 1, time: AT }, event: event('gone', 'view'), itemId: 'gone' },
];

function input(o: Partial<ExplainInput> = {}): ExplainInput {
  return {
    catalog,
    scores: new Float64Array([0.8, 0.5, 0.1]),
    trend: new Float64Array([0.3, 0, 0]),
    because: new Int32Array([-1, -1, -1]),
    history,
    profile: null,
    context: 'home',
    due: new Set(),
    pinned: new Set(),
    band: null,
    positions: new Float64Array([0.5, 0.1, Number.NaN]),
    language: null,
    hasTrend: true,
    filterNote: null,
    ...o,
  };
}

describe('explainItem: evidence', () => {
  it('splits the score into its trend and personal shares', () => {
    const { evidence } = explainItem(0, input());
    expect(evidence.id).toBe('boot');
    expect(evidence.score).toBe(0.8);
    expect(evidence.trendScore).toBe(0.3);
    expect(evidence.personalScore).toBeCloseTo(0.5, 12);
  });

  it('reads a missing score or trend as 0, and never gives a negative personal share', () => {
    const ev = explainItem(0, input({ scores: new Float64Array([Number.NaN, 0, 0]), trend: new Float64Array([0.2, 0, 0]) })).evidence;
    expect(ev.personalScore).toBe(0);
    expect(ev.trendScore).toBe(0.2);
    const noTrend = explainItem(0, input({ trend: new Float64Array([Number.NaN, 0, 0]) })).evidence;
    expect(noTrend.trendScore).toBe(0);
    expect(noTrend.personalScore).toBe(0.8);
  });

  it('names the history entry an item owes its place to, with the event behind it', () => {
    const { reasons, evidence } = explainItem(1, input({ because: new Int32Array([-1, 0, -1]) }));
    expect(reasons).toEqual(['Because you bought Trail Boot']);
    expect(evidence.basedOn).toEqual({ itemId: 'boot', title: 'Trail Boot', event: { type: 'purchase', at: '2026-11-03T12:00:00.000Z' } });
  });

  it('the item in view on an item page is "often chosen together", with no event time', () => {
    const { reasons, evidence } = explainItem(0, input({ because: new Int32Array([1, -1, -1]), context: 'item' }));
    expect(reasons).toEqual(['Often chosen together with Wool Sock']);
    expect(evidence.basedOn).toEqual({ itemId: 'sock', title: 'Wool Sock', event: { type: 'in_view', at: null } });
  });

  it('a source item no longer in the catalogue is named by its id', () => {
    const { reasons, evidence } = explainItem(0, input({ because: new Int32Array([2, -1, -1]) }));
    expect(reasons).toEqual(['Because you viewed gone']);
    expect(evidence.basedOn?.title).toBeNull();
    expect(evidence.basedOn?.event.type).toBe('view');
  });

  it('without an explaining entry there is no basedOn', () => {
    expect(explainItem(0, input()).evidence.basedOn).toBeUndefined();
  });
});

describe('explainItem: profile, price band and language', () => {
  it("matches the first of the item's categories the person likes, with the affinity to 3 decimals", () => {
    const p = emptyProfile(0);
    p.categories = { Shoes: 0, Hiking: 0.123456 };
    const { reasons, evidence } = explainItem(0, input({ profile: p }));
    expect(reasons).toEqual(['Matches your interest in Hiking']);
    expect(evidence.profileMatch).toEqual({ category: 'Hiking', affinity: 0.123 });
  });

  it('a negative or absent affinity, or no profile, is no match', () => {
    const p = emptyProfile(0);
    p.categories = { Shoes: -0.5 };
    expect(explainItem(0, input({ profile: p })).evidence.profileMatch).toBeUndefined();
    expect(explainItem(0, input({ profile: null })).evidence.profileMatch).toBeUndefined();
    // An item without categories against a profile.
    expect(explainItem(2, input({ profile: p })).evidence.profileMatch).toBeUndefined();
  });

  it('an item inside the band, ends included, carries the band rounded to cents', () => {
    const band = { level: 0.3, low: 0.1234, high: 0.5 };
    const at = (pos: number) => explainItem(0, input({ band, positions: new Float64Array([pos, 0, 0]) }));
    expect(at(0.5).reasons).toContain('In your usual price range');
    expect(at(0.5).evidence.priceBand).toEqual({ low: 0.12, high: 0.5 });
    expect(at(0.1234).evidence.priceBand).toBeDefined();
    expect(at(0.5001).evidence.priceBand).toBeUndefined();
    expect(at(0.1233).evidence.priceBand).toBeUndefined();
    expect(at(0.3).reasons).toEqual(['In your usual price range']);
    expect(explainItem(0, input({ band: { level: 0.7, low: 0.456, high: 0.876 }, positions: new Float64Array([0.7, 0, 0]) })).evidence.priceBand).toEqual({
      low: 0.46,
      high: 0.88,
    });
    expect(explainItem(0, input({ band: null, positions: new Float64Array([0.3, 0, 0]) })).evidence.priceBand).toBeUndefined();
  });

  it('records the reading language only when the item is written in it', () => {
    expect(explainItem(0, input({ language: 'en' })).evidence.language).toBe('en');
    expect(explainItem(1, input({ language: 'en' })).evidence.language).toBeUndefined();
    expect(explainItem(2, input({ language: 'en' })).evidence.language).toBeUndefined();
    expect(explainItem(0, input({ language: null })).evidence.language).toBeUndefined();
  });
});

describe('explainItem: reason order and fallbacks', () => {
  it('a due item leads with its restock reason, a pinned one is "Featured", a filter note comes last', () => {
    const p = emptyProfile(0);
    p.categories = { Shoes: 1 };
    const due = new DueItems(['boot']);
    due.info.set('boot', { intervalDays: 14, own: true, times: 3, share: 0.6, elapsed: 1, late: 3 });
    const { reasons } = explainItem(0, input({ profile: p, because: new Int32Array([1, -1, -1]), due, pinned: new Set([0]), filterNote: 'Matches: Shoes' }));
    expect(reasons).toEqual(['You buy this every 2 weeks', 'Because you viewed Wool Sock', 'Matches your interest in Shoes', 'Featured', 'Matches: Shoes']);
  });

  it('with no other reason: trending in its first category, trending now, or new in a catalogue without events', () => {
    expect(explainItem(0, input()).reasons).toEqual(['Trending in Shoes']);
    expect(explainItem(2, input()).reasons).toEqual(['Trending now']);
    expect(explainItem(0, input({ hasTrend: false })).reasons).toEqual(['New in the catalogue']);
    expect(explainItem(0, input({ filterNote: 'Matches: under 50 €' })).reasons).toEqual(['Trending in Shoes', 'Matches: under 50 €']);
  });

  it('a pinned item needs no trending reason', () => {
    expect(explainItem(1, input({ pinned: new Set([1]) })).reasons).toEqual(['Featured']);
    expect(explainItem(1, input({ pinned: new Set([0]) })).reasons).toEqual(['Trending in Socks']);
  });
});
