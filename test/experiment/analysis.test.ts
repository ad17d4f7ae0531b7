import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/experiment/analysis.ts';
import type { PersonOutcome } from '../../src/experiment/attribution.ts';
import type { Experiment } from '../../src/experiment/schemas.ts';

const none = { addedToCart: 0, converted: 0, revenue: 0, orders: 0, purchases: 0, returns: 0, events: 0, activeDays: 0 };
function person(variant: string, i: number, o: Partial<PersonOutcome> = {}): PersonOutcome {
  return { person: `${variant}${i}`, variant, firstExposure: 0, ...none, answers: 1, clickedAnswers: 0, churned: null, npsScore: null, pre: { ...none }, ...o };
}

const exp: Experiment = {
  key: 'e',
  variants: [
    { name: 'control', weight: 1, strategy: 'segment' },
    { name: 'afin', weight: 1, strategy: 'personalized' },
  ],
  control: 'control',
  primaryMetric: 'conversion',
  guardrailMetrics: ['revenuePerUser'],
  attributionWindowDays: 7,
  churnDays: 14,
  status: 'running',
  createdAt: 0,
  startedAt: 0,
  stoppedAt: null,
  history: [],
};

describe('analysis on constructed outcomes with a known answer', () => {
  // Control: 100 of 1000 convert; treatment: 150 of 1000.
  const outcomes = [
    ...Array.from({ length: 1000 }, (_, i) => person('control', i, { converted: i < 100 ? 1 : 0 })),
    ...Array.from({ length: 1000 }, (_, i) => person('afin', i, { converted: i < 150 ? 1 : 0 })),
  ];
  const r = analyse(exp, outcomes, { end: 0 });
  const conversion = r.metrics.find((m) => m.metric === 'conversion')!;
  const c = conversion.comparisons[0];

  it('conversion: the two-proportion test as scipy.stats.chi2_contingency([[100, 900], [150, 850]], correction=False) gives it', () => {
    expect(conversion.values.map((v) => [v.variant, v.value, v.n])).toEqual([
      ['control', 0.1, 1000],
      ['afin', 0.15, 1000],
    ]);
    expect(c.pValue).toBeCloseTo(0.0007232327164301936, 12);
    expect(c.difference!.estimate).toBeCloseTo(0.05, 12);
    expect(c.uplift!.estimate).toBeCloseTo(0.5, 12);
    expect(c.uplift!.low).toBeGreaterThan(0);
    expect(c.significant).toBe(true);
  });

  it('chance to beat control: Beta(151, 851) over Beta(101, 901) (scipy quad of pdf_B · cdf_A)', () => {
    expect(c.chanceToBeatControl).toBeCloseTo(0.9996423629006763, 9);
  });

  it('no SRM at 1000/1000, and the summary says the treatment is better', () => {
    expect(r.srm.mismatch).toBe(false);
    expect(r.srm.pValue).toBe(1);
    expect(r.summary.some((s) => s.startsWith('afin vs control on conversion: +50.0 %') && s.endsWith('better.'))).toBe(true);
  });

  it('flags SRM at 1000 against 1200 (scipy.stats.chisquare([1000, 1200]): p = 2.0e-5)', () => {
    const skewed = [...outcomes, ...Array.from({ length: 200 }, (_, i) => person('afin', 2000 + i))];
    const s = analyse(exp, skewed, { end: 0 });
    expect(s.srm.pValue).toBeCloseTo(2.007865612426481e-5, 15);
    expect(s.srm.mismatch).toBe(true);
    expect(s.summary[0]).toMatch(/^Sample ratio mismatch/);
  });

  it("revenue per person: Welch's test as scipy.stats.ttest_ind(b, a, equal_var=False) gives it", () => {
    const rev = (variant: string, values: number[]) => values.map((v, i) => person(variant, i, { revenue: v }));
    const a = [...Array(50).fill(0), ...Array(30).fill(10), ...Array(20).fill(20)];
    const b = [...Array(40).fill(0), ...Array(35).fill(10), ...Array(25).fill(30)];
    const m = analyse(exp, [...rev('control', a), ...rev('afin', b)], { end: 0 }).metrics.find((x) => x.metric === 'revenuePerUser')!;
    const cmp = m.comparisons[0];
    expect(cmp.pValue).toBeCloseTo(0.005459673759102952, 12);
    expect(cmp.difference!.low).toBeCloseTo(1.194472507235918, 10);
    expect(cmp.difference!.high).toBeCloseTo(6.805527492764082, 10);
    expect(m.guardrail).toBe(true);
  });

  it('lower is better for churn: fewer churned means a high chance to beat control', () => {
    const churn = [
      ...Array.from({ length: 500 }, (_, i) => person('control', i, { churned: i < 200 ? 1 : 0 })),
      ...Array.from({ length: 500 }, (_, i) => person('afin', i, { churned: i < 150 ? 1 : 0 })),
    ];
    const m = analyse(exp, churn, { end: 0 }).metrics.find((x) => x.metric === 'churn')!;
    expect(m.comparisons[0].difference!.estimate).toBeCloseTo(-0.1, 12);
    expect(m.comparisons[0].chanceToBeatControl).toBeGreaterThan(0.99);
  });

  it('AOV by the delta method: the ratio of sums, people without orders counted', () => {
    const aov = [
      ...Array.from({ length: 100 }, (_, i) => person('control', i, { revenue: i % 2 ? 100 : 0, orders: i % 2 ? 2 : 0 })),
      ...Array.from({ length: 100 }, (_, i) => person('afin', i, { revenue: i % 2 ? 120 : 0, orders: i % 2 ? 2 : 0 })),
    ];
    const m = analyse(exp, aov, { end: 0 }).metrics.find((x) => x.metric === 'aov')!;
    expect(m.values.map((v) => v.value)).toEqual([50, 60]);
    expect(m.comparisons[0].uplift!.estimate).toBeCloseTo(0.2, 12);
  });

  it('CUPED where the pre-period has data: the same effect, a narrower interval', () => {
    // Revenue follows each person's habit (their pre-period revenue) plus an effect of 2 in the treatment.
    const withPre = (variant: string, effect: number) =>
      Array.from({ length: 400 }, (_, i) => {
        const habit = (i % 20) * 5;
        return person(variant, i, { revenue: habit + effect + ((i * 7) % 3), pre: { ...none, revenue: habit } });
      });
    const m = analyse(exp, [...withPre('control', 0), ...withPre('afin', 2)], { end: 0 }).metrics.find((x) => x.metric === 'revenuePerUser')!;
    const cmp = m.comparisons[0];
    expect(cmp.cuped).toBeDefined();
    expect(cmp.cuped!.difference.estimate).toBeCloseTo(2, 10);
    expect(cmp.cuped!.difference.high - cmp.cuped!.difference.low).toBeLessThan((cmp.difference!.high - cmp.difference!.low) / 5);
    expect(cmp.cuped!.varianceReduction).toBeGreaterThan(0.9);
    // Without pre-period data there is nothing to adjust with.
    expect(m.comparisons[0].cuped).toBeDefined();
    const conversion = analyse(exp, [...withPre('control', 0), ...withPre('afin', 2)], { end: 0 }).metrics.find((x) => x.metric === 'conversion')!;
    expect(conversion.comparisons[0].cuped).toBeUndefined();
  });

  it('too few people: values but no comparison', () => {
    const m = analyse(exp, [person('control', 0, { converted: 1 }), person('afin', 0)], { end: 0 }).metrics.find((x) => x.metric === 'conversion')!;
    expect(m.comparisons[0]).toMatchObject({ difference: null, uplift: null, pValue: null, chanceToBeatControl: null, significant: false });
  });
});
