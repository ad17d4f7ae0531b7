// scoreCatalog's arithmetic, checked value by value (the mutation run's fast tests for
// src/recommend/pipeline/score.ts).
import { describe, expect, it } from 'vitest';
import type { HistoryEntry, Recommender } from '../../../src/recommend/models/types.ts';
import type { HistoryPoint } from '../../../src/recommend/pipeline/history.ts';
import { type ScoreInput, type ScoringModels, scoreCatalog } from '../../../src/recommend/pipeline/score.ts';
import type { ServingModel } from '../../../src/recommend/workspace-state.ts';

/**
 * A model over `ids` (positions in a 5-item catalogue; -1: an item the catalogue does not have) that
 * returns fixed scores and explanations, and records the histories it was asked about.
 */
function model(scores: number[], opts: { because?: number[]; toCatalog?: number[]; ids?: string[] } = {}) {
  const calls: HistoryEntry[][] = [];
  const ids = opts.ids ?? scores.map((_, k) => `i${k}`);
  const recommender = {
    name: 'fixed',
    score: (h: readonly HistoryEntry[]) => {
      calls.push(h.map((e) => ({ ...e })));
      return { scores: Float32Array.from(scores), ...(opts.because ? { because: Int32Array.from(opts.because) } : {}) };
    },
  } as unknown as Recommender;
  const m = {
    info: { name: 'fixed', trainedAt: 1, seconds: 0, users: 1, items: scores.length, interactions: 1 },
    recommender,
    itemIds: ids,
    toCatalog: Int32Array.from(opts.toCatalog ?? scores.map((_, k) => k)),
    modelIndex: new Map(ids.map((id, k) => [id, k])),
  } as unknown as ServingModel;
  return { m, calls };
}

const point = (itemId: string, item: number, weight: number): HistoryPoint => ({ entry: { item, weight, time: 7 }, event: null, itemId });
const history = [point('i0', 0, 2), point('i3', 3, 1)];
const none: ScoringModels = { fallback: null, personal: null, generic: null, itemToItem: null };

function run(models: Partial<ScoringModels>, o: Partial<ScoreInput> = {}) {
  return scoreCatalog({
    history,
    anchors: [],
    catalogSize: 5,
    updatedAt: () => 0,
    seen: [],
    models: { ...none, ...models },
    trend: true,
    seenDiscount: false,
    now: 42,
    ...o,
  });
}

describe('scoreCatalog: the prior', () => {
  it('without any model, orders by catalogue time (newest first) at a scale below any model', () => {
    const r = run({}, { updatedAt: (i) => (i + 1) * 1e9 });
    expect(Array.from(r.scores)).toEqual([1e-6, 2e-6, 3e-6, 4e-6, 5e-6]);
    expect(Array.from(r.trend)).toEqual([1e-6, 2e-6, 3e-6, 4e-6, 5e-6]);
    expect(Array.from(r.because)).toEqual([-1, -1, -1, -1, -1]);
    expect(r.personalHits).toBe(0);
  });

  it('the trend prior is normalised to its best item and scaled by 0.01 (1e-6 with the stage off)', () => {
    const fallback = model([2, 1, 0, -1, 4]).m;
    const on = Array.from(run({ fallback }).scores);
    for (const [i, want] of [0.005, 0.0025, 0, 0, 0.01].entries()) expect(on[i]).toBeCloseTo(want, 15);
    const off = run({ fallback }, { trend: false });
    expect(off.scores[4]).toBeCloseTo(1e-6, 15);
    expect(off.scores[0]).toBeCloseTo(5e-7, 15);
  });

  it('asks the prior with an empty history; an all-zero prior adds zeros', () => {
    const f = model([0, 0, 0, 0, 0]);
    const r = run({ fallback: f.m });
    expect(f.calls).toEqual([[]]);
    expect(Array.from(r.scores)).toEqual([0, 0, 0, 0, 0]);
  });

  it('items the models do not cover keep no score (NaN) and a zero trend share', () => {
    const fallback = model([1, 1], { toCatalog: [0, 2] }).m;
    const r = run({ fallback });
    expect(Number.isNaN(r.scores[1])).toBe(true);
    expect(r.trend[1]).toBe(0);
    expect(r.trend[0]).toBe(0.01);
  });
});

describe('scoreCatalog: the personal model', () => {
  it('scores from the history entries, counts the items it scored above zero and records why', () => {
    const p = model([0, 3, 6, -2, 0], { because: [-1, 0, 1, 0, 1] });
    const r = run({ fallback: model([1, 1, 1, 1, 1]).m, personal: p.m });
    expect(p.calls).toEqual([history.map((h) => h.entry)]);
    expect(r.scores[2]).toBeCloseTo(1.01, 12);
    expect(r.scores[1]).toBeCloseTo(0.51, 12);
    expect(r.scores[3]).toBeCloseTo(0.01, 12);
    expect(r.personalHits).toBe(2);
    // Only items it scored explain themselves by an entry: 1 by entry 0, 2 by entry 1.
    expect(Array.from(r.because)).toEqual([-1, 0, 1, -1, -1]);
  });

  it('an explanation index of 0 counts; -1 is none', () => {
    const r = run({ personal: model([1, 1, 0, 0, 0], { because: [0, -1, 0, 0, 0] }).m });
    expect(Array.from(r.because)).toEqual([0, -1, -1, -1, -1]);
  });

  it('a model item the catalogue does not have adds nothing and is not counted', () => {
    const r = run({ personal: model([5, 1, 2], { toCatalog: [-1, 1, 2], because: [0, 0, 0] }).m });
    expect(r.personalHits).toBe(2);
    expect(r.scores[1]).toBeCloseTo(0.2, 12);
    expect(r.scores[2]).toBeCloseTo(0.4, 12);
    expect(r.scores[0]).toBe(0);
    expect(r.because[0]).toBe(-1);
  });

  it('counts half when an item-to-item source is there too, even with nothing in view', () => {
    const r = run({ personal: model([0, 2, 0, 0, 0]).m, itemToItem: model([0, 0, 0, 0, 1]).m });
    expect(r.scores[1]).toBe(0.5);
    expect(r.scores[4]).toBe(0);
  });

  it('without history the personal model is not asked; a generic model asked for by name scores instead', () => {
    const p = model([1, 0, 0, 0, 0]);
    const g = model([0, 0, 2, 4, 0]);
    const r = run({ personal: p.m, generic: g.m }, { history: [] });
    expect(p.calls).toEqual([]);
    expect(g.calls).toEqual([[]]);
    expect(r.scores[3]).toBe(1);
    expect(r.scores[2]).toBe(0.5);
    expect(r.personalHits).toBe(0);
    // With history the personal model wins and the generic one is not asked.
    const g2 = model([9, 9, 9, 9, 9]);
    run({ personal: p.m, generic: g2.m });
    expect(g2.calls).toEqual([]);
    // No personal model at all: the generic one.
    expect(run({ generic: model([0, 0, 0, 0, 3]).m }).scores[4]).toBe(1);
  });
});

describe('scoreCatalog: the item-to-item source', () => {
  it('starts from the anchors, in its own index (-1 for an item it does not know), and counts its hits', () => {
    const i2i = model([0, 0, 1, 0, 2], { because: [-1, -1, 1, -1, 0], ids: ['i0', 'x1', 'x2', 'x3', 'i3'] });
    const r = run({ itemToItem: i2i.m }, { history: [point('i3', 3, 4), point('i0', 0, 2), point('zz', 9, 1)], anchors: [0, 2] });
    expect(i2i.calls).toEqual([
      [
        { item: 4, weight: 4, time: 7 },
        { item: -1, weight: 1, time: 7 },
      ],
    ]);
    expect(r.scores[4]).toBe(1);
    expect(r.scores[2]).toBe(0.5);
    expect(r.personalHits).toBe(2);
    // Its explanations point at the history entries of the anchors: 0 -> entry 0, 1 -> entry 2.
    expect(r.because[4]).toBe(0);
    expect(r.because[2]).toBe(2);
  });

  it('is not asked without anchors', () => {
    const i2i = model([1, 1, 1, 1, 1]);
    run({ itemToItem: i2i.m });
    expect(i2i.calls).toEqual([]);
  });

  it('takes over an explanation only where it adds more than the item had', () => {
    const personal = model([4, 1, 2, 0, 0], { because: [1, 1, 1, 0, 0] }).m;
    // Item 0: personal adds 0.5 (scaled by half), item-to-item 0.25: personal keeps it.
    // Item 1: personal adds 0.125, item-to-item 1: the anchor takes it.
    // Item 2: both add 0.25: a tie keeps the personal explanation.
    const itemToItem = model([0.25, 1, 0.25, 0, 0], { because: [0, 0, 0, -1, -1] }).m;
    const r = run({ personal, itemToItem }, { anchors: [0] });
    expect(r.scores[0]).toBeCloseTo(0.75, 12);
    expect(r.scores[1]).toBeCloseTo(1.125, 12);
    expect(r.scores[2]).toBeCloseTo(0.5, 12);
    expect(Array.from(r.because)).toEqual([1, 0, 1, -1, -1]);
    expect(r.personalHits).toBe(6);
  });

  it('an explanation by the first history entry (0) counts as one; an item-to-item score without its own explanation keeps the earlier one', () => {
    const personal = model([4, 4, 0, 0, 0], { because: [0, 1, -1, -1, -1] }).m;
    // Item 0: explained by entry 0, the anchor adds less: entry 0 stays. Item 1: the anchor adds more but explains nothing.
    const itemToItem = model([0.25, 1, 0, 0, 0], { because: [1, -1, -1, -1, -1] }).m;
    const r = run({ personal, itemToItem }, { anchors: [0, 1] });
    expect(Array.from(r.because)).toEqual([0, 1, -1, -1, -1]);
  });

  it('explains an item no other source explained, and leaves explanations alone without its own', () => {
    const personal = model([1, 0, 0, 0, 0], { because: [1, -1, -1, -1, -1] }).m;
    const r = run({ personal, itemToItem: model([0, 0, 0, 0, 1], { because: [-1, -1, -1, -1, 0] }).m }, { anchors: [1] });
    expect(r.because[4]).toBe(1);
    // An item the person's model scored without explaining it: the anchor explains it, although it adds less.
    const unexplained = model([1, 0, 0, 1, 0], { because: [1, -1, -1, -1, -1] }).m;
    const weak = run({ personal: unexplained, itemToItem: model([0, 0, 0, 0.25, 1], { because: [-1, -1, -1, 0, 0] }).m }, { anchors: [1] });
    expect(weak.scores[3]).toBeCloseTo(0.75, 12);
    expect(Array.from(weak.because)).toEqual([1, -1, -1, 1, 1]);
    const quiet = run({ personal, itemToItem: model([0, 0, 0, 0, 1]).m }, { anchors: [1] });
    expect(Array.from(quiet.because)).toEqual([1, -1, -1, -1, -1]);
    expect(quiet.scores[4]).toBe(1);
  });
});

describe('scoreCatalog: an item-to-item score without an explanation', () => {
  it('leaves the item unexplained when no other source explains it (-1 stays -1, not a history index)', () => {
    const r = run({ itemToItem: model([0, 0, 1, 0, 0], { because: [-1, -1, -1, -1, -1] }).m }, { anchors: [0] });
    expect(r.scores[2]).toBe(1);
    expect(Array.from(r.because)).toEqual([-1, -1, -1, -1, -1]);
    expect(r.personalHits).toBe(1);
  });
});

describe('scoreCatalog: seen items', () => {
  it('keep a quarter of their personal share above the trend, and an unscored one stays unscored', () => {
    const fallback = model([1, 1, 1, 1, 0], { toCatalog: [0, 1, 2, 3, -1] }).m;
    const personal = model([0, 1, 1, 0, 0], { toCatalog: [0, 1, 2, 3, -1] }).m;
    const r = run({ fallback, personal }, { seen: [1, 4], seenDiscount: true });
    expect(r.scores[1]).toBeCloseTo(0.01 + 0.25, 12);
    expect(r.scores[2]).toBeCloseTo(1.01, 12);
    expect(Number.isNaN(r.scores[4])).toBe(true);
    expect(run({ fallback, personal }, { seen: [1], seenDiscount: false }).scores[1]).toBeCloseTo(1.01, 12);
  });
});
