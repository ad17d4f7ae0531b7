import { describe, expect, it } from 'vitest';
import { DatasetBuilder } from '../../src/eval/datasets.ts';
import { eventWeights } from '../../src/eval/served.ts';
import { looSplit, msSplit, positiveRows, strongSplit, toInteractions, validationOf } from '../../src/eval/splits.ts';

/** 20 users × 20 rows each over 50 items, times increasing per user. */
function dataset() {
  const b = new DatasetBuilder();
  for (let u = 0; u < 20; u++) for (let k = 0; k < 20; k++) b.add(`u${u}`, `i${(u * 7 + k * 3) % 50}`, 1 + (k % 5), 1000 * (u * 100 + k));
  return b.build('toy');
}

describe('splits', () => {
  const rows = positiveRows(dataset());

  it('de-duplicates (user, item) pairs and filters by value', () => {
    const b = new DatasetBuilder();
    b.add('a', 'x', 5, 1);
    b.add('a', 'x', 3, 2);
    b.add('a', 'y', 1, 3);
    const r = positiveRows(b.build('d'));
    expect(r.users.length).toBe(2);
    // Rows below the threshold are dropped first: the 5 for x remains, y's 1 does not.
    const kept = positiveRows(b.build('d'), 4);
    expect(kept.users.length).toBe(1);
    expect(kept.times[0]).toBe(1);
  });

  it('ms: a seeded per-user 75/25 split', () => {
    const t = msSplit(rows, 1);
    expect(t.train.length).toBe(20 * 15);
    expect(t.cases.length).toBe(20);
    for (const c of t.cases) {
      expect(c.relevant.length).toBe(5);
      expect(c.history.length).toBe(15);
      const h = new Set(c.history.map((e) => e.item));
      for (const i of c.relevant) expect(h.has(i)).toBe(false);
    }
    expect(msSplit(rows, 1).train).toEqual(t.train);
    expect(msSplit(rows, 2).train).not.toEqual(t.train);
  });

  it('strong: held-out users are not trained on; 80/20 of their items', () => {
    const t = strongSplit(rows, 3);
    const trainUsers = new Set(Array.from(t.train, (k) => rows.users[k]));
    expect(t.cases.length).toBe(4);
    for (const c of t.cases) {
      expect(trainUsers.has(c.user)).toBe(false);
      expect(c.history.length).toBe(16);
      expect(c.relevant.length).toBe(4);
    }
    expect(t.train.length).toBe(16 * 20);
  });

  it("loo: each user's latest item is the target", () => {
    const t = looSplit(rows, 1);
    expect(t.cases.length).toBe(20);
    for (const c of t.cases) {
      const last = Math.max(...c.history.map((e) => e.time));
      const target = c.relevant[0];
      const k = Array.from(rows.items.keys()).find((q) => rows.users[q] === c.user && rows.items[q] === target)!;
      expect(rows.times[k]).toBeGreaterThan(last);
    }
  });

  it('validation is carved from the training rows only', () => {
    const t = msSplit(rows, 1);
    const v = validationOf(t, 9);
    const trainPairs = new Set(Array.from(t.train, (k) => `${rows.users[k]}:${rows.items[k]}`));
    for (const c of v.cases) for (const i of c.relevant) expect(trainPairs.has(`${c.user}:${i}`)).toBe(true);
    for (const c of t.cases)
      for (const i of c.relevant) {
        const vc = v.cases.find((x) => x.user === c.user);
        expect(vc?.relevant.includes(i) ?? false).toBe(false);
        expect(vc?.history.some((e) => e.item === i) ?? false).toBe(false);
      }
  });

  it('--model-weights events: the rows carry the weights the server gives the same events, into fitting, histories and validation', () => {
    const weighted = { ...rows, weights: eventWeights(rows) };
    // Ratings 1-5 as strength (0.8 … 1.2), as the server weighs a rating event.
    expect(
      Array.from(new Set(weighted.weights))
        .map((w) => Math.round(w * 10) / 10)
        .sort(),
    ).toEqual([0.8, 0.9, 1, 1.1, 1.2]);
    const t = msSplit(weighted, 1);
    const fit = toInteractions(weighted, t.train);
    for (let j = 0; j < t.train.length; j++) expect(fit.weights[j]).toBe(weighted.weights[t.train[j]]);
    const rowOf = new Map(Array.from(weighted.users.keys(), (k) => [`${weighted.users[k]}:${weighted.items[k]}`, k]));
    const v = validationOf(t, 9);
    for (const task of [t, v])
      for (const c of task.cases) for (const h of c.history) expect(h.weight).toBe(weighted.weights[rowOf.get(`${c.user}:${h.item}`)!]);
    // Without weights every row is 1, as the published protocols count them.
    expect(new Set(toInteractions(rows, t.train).weights)).toEqual(new Set([1]));
    expect(new Set(msSplit(rows, 1).cases.flatMap((c) => c.history.map((h) => h.weight)))).toEqual(new Set([1]));
  });
});
