import { describe, expect, it } from 'vitest';
import { attribute, type AttributionInput } from '../../src/experiment/attribution.ts';

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2026, 0, 1);

type Ev = AttributionInput['events'][number];
const ev = (subject: string, type: string, at: number, more: Partial<Ev> = {}): Ev => ({
  subject,
  type,
  itemId: 'i1',
  value: null,
  recommendationId: null,
  variant: null,
  timestamp: at,
  orderId: null,
  ...more,
});

const experiment = {
  key: 'e',
  variants: [
    { name: 'A', weight: 1, strategy: 'none' as const },
    { name: 'B', weight: 1, strategy: 'popular' as const },
  ],
  attributionWindowDays: 1,
  churnDays: 7,
};

function run(events: Ev[], end = T0 + 20 * D) {
  return attribute({
    experiment,
    end,
    preDays: 14,
    assignments: [
      { person: 'p1', variant: 'A', at: T0 },
      { person: 'p2', variant: 'B', at: T0 },
      { person: 'p3', variant: 'B', at: end - 2 * D },
      { person: 'p1', variant: 'A', at: T0 + D },
    ],
    exposures: [
      { id: 'r1', person: 'p1', variant: 'A', at: T0 },
      { id: 'r2', person: 'p1', variant: 'A', at: T0 + 5 * D },
      { id: 'r3', person: 'p2', variant: 'B', at: T0 },
    ],
    events,
    price: (id) => (id === 'i1' ? 12 : undefined),
  });
}

describe('attribution', () => {
  const events = [
    ev('p1', 'view', T0 - 3 * D), // pre-period
    ev('p1', 'purchase', T0 - 2 * D, { value: 99 }), // pre-period
    ev('p1', 'purchase', T0 + 2 * H, { value: 30, orderId: 'o1' }), // in the window after r1
    ev('p1', 'purchase', T0 + 3 * H, { orderId: 'o1' }), // same order, catalogue price 12
    ev('p1', 'purchase', T0 + 2 * D, { value: 500 }), // outside every window: not counted
    ev('p1', 'click', T0 + 3 * D, { recommendationId: 'r1' }), // cites an answer: counted, a click-through
    ev('p1', 'add_to_cart', T0 + 5 * D + H), // in the window after r2
    ev('p1', 'return', T0 + 5 * D + 2 * H),
    ev('p1', 'survey', T0 + 5 * D + 3 * H, { value: 6, itemId: null }),
    ev('p1', 'survey', T0 + 5 * D + 4 * H, { value: 9, itemId: null }), // the last answer counts
    ev('p1', 'impression', T0 + 5 * D + 5 * H), // not the person's doing
    ev('p2', 'purchase', T0 + 9 * D, { value: 40, variant: 'e:B' }), // names the variant: counted outside the window
    ev('p2', 'view', T0 + 9 * D, { variant: 'other:B' }), // another experiment's tag: not counted
    ev('stranger', 'purchase', T0 + H, { value: 1000 }),
  ];
  const out = run(events);
  const p1 = out.find((o) => o.person === 'p1')!;
  const p2 = out.find((o) => o.person === 'p2')!;
  const p3 = out.find((o) => o.person === 'p3')!;

  it('one outcome per assigned person, at their earliest assignment', () => {
    expect(out.map((o) => o.person).sort()).toEqual(['p1', 'p2', 'p3']);
    expect(p1.firstExposure).toBe(T0);
  });

  it('counts events within the window after each answer, or citing one, or naming the variant', () => {
    expect(p1.revenue).toBe(42);
    expect(p1.purchases).toBe(2);
    expect(p1.orders).toBe(1);
    expect(p1.converted).toBe(1);
    expect(p1.addedToCart).toBe(1);
    expect(p1.returns).toBe(1);
    expect(p1.events).toBe(7); // two purchases, click, cart, return, two surveys; not the impression
    expect(p1.activeDays).toBe(3);
    expect(p2.revenue).toBe(40);
    expect(p2.events).toBe(1);
  });

  it('click-through: answers served and answers clicked', () => {
    expect([p1.answers, p1.clickedAnswers]).toEqual([2, 1]);
    expect([p2.answers, p2.clickedAnswers]).toEqual([1, 0]);
  });

  it('NPS from the last survey answer; churn only for people served churnDays before the end', () => {
    expect(p1.npsScore).toBe(1);
    expect(p2.npsScore).toBeNull();
    expect(p1.churned).toBe(1); // last active on day 5, the end is day 20
    expect(p2.churned).toBe(1);
    expect(p3.churned).toBeNull();
    const p2Active = run([...events, ev('p2', 'view', T0 + 19 * D)]).find((o) => o.person === 'p2')!;
    expect(p2Active.churned).toBe(0);
  });

  it('the pre-period: the same behaviour in the days before the first exposure', () => {
    expect(p1.pre).toMatchObject({ converted: 1, revenue: 99, events: 2, activeDays: 2 });
    expect(p2.pre.events).toBe(0);
  });

  it('nothing after the end of the analysis counts', () => {
    const early = run(events, T0 + 4 * D).find((o) => o.person === 'p1')!;
    expect(early.addedToCart).toBe(0);
    expect(early.answers).toBe(1);
  });
});
