import { describe, expect, it } from 'vitest';
import { Ease } from '../../../src/recommend/models/ease.ts';
import { Hybrid } from '../../../src/recommend/models/hybrid.ts';
import type { Interactions } from '../../../src/recommend/models/types.ts';
import { checkerboard, checkerboardTexts, groupHistory, N_ITEMS, rankAmongUnseen } from './fixtures.ts';

/** The checkerboard plus one brand-new item (index N_ITEMS) that nobody has touched, described like group 0. */
function withColdItem(): { data: Interactions; docs: ReturnType<typeof checkerboardTexts> } {
  const base = checkerboard();
  const docs = checkerboardTexts();
  docs.push({ title: 'trail running shoes mountain', description: 'running shoes', categories: ['trail'], language: 'en' });
  return { data: { ...base, nItems: N_ITEMS + 1 }, docs };
}

describe('hybrid', () => {
  const { data, docs } = withColdItem();
  const m = new Hybrid(new Ease({ lambda: 5 }), undefined, { itemEvidence: 5, userEvidence: 3 });
  m.fitText(docs);
  m.fit(data);
  const cold = N_ITEMS;

  it('recommends a brand-new item by its text to a user of the matching taste', () => {
    const h = groupHistory(0, 3);
    const { scores } = m.score(h, 0);
    expect(Number.isFinite(scores[cold])).toBe(true);
    // Better than any item of another group.
    for (let j = 8; j < N_ITEMS; j++) expect(scores[cold]).toBeGreaterThan(scores[j]);
    // The collaborative favourite still ranks first.
    expect(rankAmongUnseen(scores, h, 3)).toBe(0);
  });

  it('gives a user with no history the popular items', () => {
    const { scores } = m.score([], 0);
    expect(scores[cold]).toBe(0);
    const counts = new Float64Array(N_ITEMS);
    const seen = new Set<number>();
    for (let k = 0; k < data.users.length; k++) {
      const key = data.users[k] * 100 + data.items[k];
      if (!seen.has(key)) {
        seen.add(key);
        counts[data.items[k]]++;
      }
    }
    const top = counts.indexOf(Math.max(...counts));
    expect(scores.indexOf(Math.max(...scores))).toBe(top);
  });

  it('blends by evidence: β·α·ĉ + (1 − β·α)·γ·t̂ + w·p̂', () => {
    const unit = (s: Float32Array) => {
      const f = [...s].filter(Number.isFinite);
      const lo = Math.min(...f);
      const hi = Math.max(...f);
      return [...s].map((v) => (Number.isFinite(v) ? (v - lo) / (hi - lo) : NaN));
    };
    const counts = new Float64Array(N_ITEMS + 1);
    const seen = new Set<number>();
    for (let k = 0; k < data.users.length; k++) {
      const key = data.users[k] * 100 + data.items[k];
      if (!seen.has(key)) {
        seen.add(key);
        counts[data.items[k]]++;
      }
    }
    const logs = [...counts].map((c) => Math.log1p(c));
    const pop = logs.map((v) => v / Math.max(...logs));
    for (const h of [[{ item: 0, weight: 1, time: 0 }], groupHistory(0, -1)]) {
      const beta = h.length / (h.length + 3);
      const c = unit(m.collaborative.score(h, 0).scores);
      const t = unit(m.content.score(h, 0).scores);
      const s = m.score(h, 0).scores;
      for (const j of [1, 5, 9, 20]) {
        const wc = (beta * counts[j]) / (counts[j] + 5);
        expect(s[j]).toBeCloseTo(wc * c[j] + (1 - wc) * 0.6 * t[j] + 0.05 * pop[j], 5);
      }
      // The cold item has no collaborative score: text alone (discounted), no popularity.
      expect(s[cold]).toBeCloseTo(0.6 * t[cold], 5);
    }
  });

  it('answers text queries and blends similar items', () => {
    expect(m.query('espresso').scores[16]).toBeGreaterThan(0);
    const sim = m.similar(cold, 3).items;
    expect([...sim].every((j) => j < 8)).toBe(true);
  });
});
