import { describe, expect, it } from 'vitest';
import { compactLog, logTemplate } from '../../src/recommend/recommendation-log.ts';

const T = Date.parse('2026-12-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A verbose log body whose items were based on events at known times (and one without a time). */
const body = {
  model: 'hybrid',
  personalized: true,
  context: 'home',
  historyUsed: 3,
  rules: ['only available items'],
  items: [
    {
      id: 'p1',
      score: 0.9,
      reasons: ['x'],
      evidence: { trendScore: 0.1, basedOn: { itemId: 'b1', title: 'B1', event: { type: 'purchase', at: iso(T - 5_000) } } },
    },
    { id: 'p2', score: 0.8, reasons: ['x'], evidence: { basedOn: { itemId: 'b2', title: 'B2', event: { type: 'view', at: iso(T - 65_400) } } } },
    { id: 'p3', score: 0.7, reasons: ['x'], evidence: { basedOn: { itemId: 'b3', title: null, event: null } } },
    { id: 'p4', score: 0.6, reasons: ['x'], evidence: { basedOn: { itemId: 'b1', title: 'B1', event: { type: 'purchase', at: iso(T - 5_000) } } } },
  ],
};

describe("a served page's log template", () => {
  it("counts each source's age in whole seconds before the answer it logs, at each answer's time", () => {
    const template = logTemplate(body);
    expect(template(T).s).toEqual([
      ['b1', 'purchase', 5],
      ['b2', 'view', 65],
      ['b3', 'in_view', null],
    ]);
    expect(template(T + 60_000).s).toEqual([
      ['b1', 'purchase', 65],
      ['b2', 'view', 125],
      ['b3', 'in_view', null],
    ]);
    // Items refer to their source by index; the same source is listed once.
    expect((template(T).i as unknown[][]).map((row) => row[4])).toEqual([0, 1, 2, 0]);
  });

  it('gives each answer its own body, the rest as compactLog writes it, keys in the same order', () => {
    const template = logTemplate(body);
    const a = template(T);
    const b = template(T);
    expect(a).not.toBe(b);
    expect(a.s).not.toBe(b.s);
    expect(JSON.stringify(a)).toBe(JSON.stringify(compactLog(body, T)));
    expect(Object.keys(a)).toEqual(['v', 'm', 'p', 'c', 'h', 'r', 'i', 's', 't']);
  });

  it('writes every field of the compact body once, in its order, whichever are present', () => {
    const withAll = {
      ...body,
      query: { category: 'shoes', maxPrice: 80 },
      items: [
        ...body.items,
        { id: 'p5', score: 0.5, reasons: ['Matches your interest in shoes'], evidence: { profileMatch: { category: 'shoes', affinity: 2.5 } } },
      ],
    };
    const a = logTemplate(withAll)(T);
    expect(Object.keys(a)).toEqual(['v', 'm', 'p', 'c', 'h', 'r', 'i', 'q', 's', 'k', 't']);
    expect(a).toMatchObject({ v: 2, m: 'hybrid', p: 1, c: 'home', h: 3, r: ['.'], q: { category: 'shoes', maxPrice: 80 }, k: [['shoes', 2.5]], t: ['x'] });
    expect((a.i as unknown[]).length).toBe(5);
    const noTexts = logTemplate({ ...body, items: body.items.map((it) => ({ ...it, reasons: [] })) })(T);
    expect(Object.keys(noTexts)).toEqual(['v', 'm', 'p', 'c', 'h', 'r', 'i', 's']);
  });
});
