import { describe, expect, it } from 'vitest';
import { bestSellersByGroup, groupsOf, segmentOf, segmentScores } from '../../src/experiment/segment.ts';

const NOW = Date.UTC(2026, 0, 15);

describe('segments from declared traits', () => {
  it('reads age (or a band, or a birth year), a location and an interest', () => {
    expect(segmentOf({ age: 29, country: 'ES', interest: 'Running' }, NOW)).toEqual({ ageBand: '25–34', location: 'es', interest: 'running' });
    expect(segmentOf({ ageBand: '18-24', location: 'Madrid', interests: ['hiking', 'tents'] }, NOW)).toEqual({
      ageBand: '18-24',
      location: 'madrid',
      interest: 'hiking',
    });
    expect(segmentOf({ birthYear: 1960 }, NOW).ageBand).toBe('65+');
    expect(segmentOf(null, NOW)).toEqual({ ageBand: null, location: null, interest: null });
    expect(groupsOf(segmentOf({ age: 40, country: 'fr' }, NOW))).toEqual({ full: 'age 35–44 · in fr', singles: ['age 35–44', 'in fr'] });
  });
});

describe('each group is served its best sellers', () => {
  // Items 0..3. Young Madrid people buy item 0; older Paris people buy item 2; everybody views item 3 a lot.
  const traits: Record<string, Record<string, unknown>> = {
    y1: { age: 20, city: 'Madrid' },
    y2: { age: 22, city: 'Madrid' },
    o1: { age: 60, city: 'Paris' },
    o2: { age: 61, city: 'Paris' },
    o3: { age: 58, city: 'Paris' },
  };
  const events = [
    ...['y1', 'y2'].map((s) => ({ subject: s, type: 'purchase', itemId: 'i0' })),
    ...['o1', 'o2', 'o3'].map((s) => ({ subject: s, type: 'purchase', itemId: 'i2' })),
    ...Array.from({ length: 20 }, (_, k) => ({ subject: ['y1', 'o1'][k % 2], type: 'view', itemId: 'i3' })),
    { subject: 'o1', type: 'purchase', itemId: 'unknown-item' },
  ];
  const table = bestSellersByGroup(
    events,
    (s) => segmentOf(traits[s], NOW),
    (id) => ({ i0: 0, i1: 1, i2: 2, i3: 3 })[id],
    4,
  );
  const top = (t: Record<string, unknown>) => {
    const { scores } = segmentScores(table, segmentOf(t, NOW));
    return [...scores.keys()].sort((a, b) => scores[b] - scores[a])[0];
  };

  it('a young person in Madrid gets what young Madrid buys; an older one in Paris what older Paris buys', () => {
    expect(top({ age: 19, city: 'Madrid' })).toBe(0);
    expect(top({ age: 63, city: 'Paris' })).toBe(2);
    expect(segmentScores(table, segmentOf({ age: 19, city: 'Madrid' }, NOW)).group).toBe('age 18–24 · in madrid');
  });

  it('backs off to a single trait when the full group is unknown, and to the whole shop without traits', () => {
    expect(top({ age: 60, city: 'Lisbon' })).toBe(2); // the age group alone
    const everyone = segmentScores(table, segmentOf({}, NOW));
    expect(everyone.group).toBe('everyone');
    expect([...everyone.scores.keys()].sort((a, b) => everyone.scores[b] - everyone.scores[a])[0]).toBe(2); // most sold overall
  });

  it('views only break ties: the most viewed item is not a best seller', () => {
    expect(table.everyone[3]).toBeLessThan(table.everyone[0]);
  });
});
