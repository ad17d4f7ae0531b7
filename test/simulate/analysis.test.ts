import { describe, expect, it } from 'vitest';
import { analyse, npsPoints } from '../../src/simulate/analysis.ts';
import type { Arm } from '../../src/simulate/arms.ts';
import { formatAnalysis } from '../../src/simulate/report.ts';
import type { ArmOutcome, SimulationResult } from '../../src/simulate/run.ts';
import { projectStatistics } from '../../src/simulate/statistics.ts';

const N = 100;

/** An arm's outcome where shoppers 0..buyers-1 each placed one order of `order` €. */
function outcome(arm: Arm, buyers: number, order = 50, extra: Partial<ArmOutcome> = {}): ArmOutcome {
  const orders = Uint32Array.from({ length: N }, (_, i) => (i < buyers ? 1 : 0));
  return {
    arm,
    workspace: `w-${arm}`,
    visits: new Uint32Array(N).fill(4),
    orders,
    revenue: Float64Array.from(orders, (o) => o * order),
    events: new Uint32Array(N).fill(6),
    churned: new Uint8Array(N),
    nps: new Int8Array(N).fill(-1),
    shown: new Uint32Array(N).fill(40),
    fitting: new Uint32Array(N).fill(10),
    shownUtility: new Float64Array(N).fill(-20),
    clicks: new Uint32Array(N),
    itemsBought: Uint32Array.from(orders),
    itemsBoughtFromPage: new Uint32Array(N),
    dailyVisits: [N],
    dailyBuyingVisits: [buyers],
    dailyFirstBuyers: [buyers],
    requests: 0,
    eventsSent: 0,
    chat: { visits: 0, messages: 0, empty: 0 },
    ...extra,
  };
}
const result = (...arms: ArmOutcome[]): SimulationResult => ({ seed: 1, days: 1, items: 10, users: N, arms });

describe('analyse', () => {
  it('compares personalized with segment shopper by shopper, and as two independent groups', () => {
    // Shoppers 0–59 buy with personalized, 0–29 with segment: 30 shoppers differ by +1, 70 by 0.
    const a = analyse(result(outcome('segment', 30), outcome('personalized', 60)), projectStatistics);
    const v = a.verdict;
    expect(v.beats).toBe(true);
    // R: t.test(c(rep(1, 30), rep(0, 70)))$conf.int = 0.2086135 0.3913865
    expect(v.paired!.estimate).toBeCloseTo(0.3, 12);
    expect(v.paired!.low).toBeCloseTo(0.2086135, 6);
    expect(v.paired!.high).toBeCloseTo(0.3913865, 6);
    // Wald: 0.3 ± 1.959964·√(0.6·0.4/100 + 0.3·0.7/100)
    expect(v.unpaired!.difference.low).toBeCloseTo(0.3 - 1.959964 * Math.sqrt(0.0045), 5);
    expect(v.unpaired!.relative.estimate).toBeCloseTo(1, 12);
    expect(v.text).toMatch(/^personalized BEATS segment on conversion: \+30\.0 points, shopper by shopper 95 % interval \[\+20\.9, \+39\.1\]/);
  });

  it('says so when the interval includes zero, and when segment converts more', () => {
    const same = analyse(result(outcome('segment', 30), outcome('personalized', 30)), projectStatistics).verdict;
    expect(same.beats).toBe(false);
    expect(same.text).toMatch(/does NOT beat segment.*includes zero/);
    const worse = analyse(result(outcome('segment', 60), outcome('personalized', 30)), projectStatistics).verdict;
    expect(worse.beats).toBe(false);
    expect(worse.text).toMatch(/segment converts more/);
    const alone = analyse(result(outcome('random', 10), outcome('personalized', 30)), projectStatistics);
    expect(alone.verdict.compared).toBe(false);
    expect(alone.rows.every((r) => r.uplift === undefined)).toBe(true);
  });

  it('says where the chat arm stands: against segment, and against personalized alone, shopper by shopper', () => {
    const v = analyse(result(outcome('segment', 30), outcome('personalized', 40), outcome('personalized+chat', 60)), projectStatistics).verdict;
    expect(v.beats).toBe(true);
    expect(v.chat!.beats).toBe(true);
    // R: t.test(c(rep(1, 30), rep(0, 70)))$conf.int, as above; and of c(rep(1, 20), rep(0, 80)) (scipy's t): 0.1202315 0.2797685
    expect(v.chat!.paired.low).toBeCloseTo(0.2086135, 6);
    expect(v.chat!.overPersonalized!.estimate).toBeCloseTo(0.2, 12);
    expect(v.chat!.overPersonalized!.low).toBeCloseTo(0.1202315, 6);
    expect(v.text.split('\n').at(-1)).toBe(
      'personalized+chat BEATS segment on conversion: +30.0 points, shopper by shopper 95 % interval [+20.9, +39.1] (the 95 % interval is above zero); against personalized alone +20.0 points [+12.0, +28.0] (the 95 % interval is above zero).',
    );
    const same = analyse(result(outcome('segment', 30), outcome('personalized+chat', 30)), projectStatistics).verdict;
    expect(same.compared).toBe(false);
    expect(same.chat!.beats).toBe(false);
    expect(same.text).toMatch(/\npersonalized\+chat does NOT beat segment on conversion: 0\.0 points, .*includes zero: this run cannot tell them apart\)\.$/);
  });

  it('computes each metric per arm: conversion, order value as a ratio of sums, churn, NPS points and fit', () => {
    const nps = Int8Array.from({ length: N }, (_, i) => (i < 50 ? 10 : i < 60 ? 8 : i < 80 ? 3 : -1));
    const churned = Uint8Array.from({ length: N }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const two = outcome('segment', 20, 30, {
      orders: Uint32Array.from({ length: N }, (_, i) => (i < 20 ? 2 : 0)),
      revenue: Float64Array.from({ length: N }, (_, i) => (i < 20 ? 90 : 0)),
      nps,
      churned,
    });
    const row = analyse(result(two), projectStatistics).rows[0].metrics;
    expect(row.conversion.estimate).toBe(0.2);
    expect(row.aov.estimate).toBe(45);
    expect(row.revenuePerUser.estimate).toBe(18);
    expect(row.churn.estimate).toBe(0.25);
    // 50 promoters, 10 passives, 20 detractors of 80 answers: (50 − 20) / 80 · 100.
    expect(row.nps.estimate).toBeCloseTo(37.5, 12);
    expect(row.fit.estimate).toBe(0.25);
    expect(row.wanted.estimate).toBe(-0.5);
    expect(row.activeDays.estimate).toBe(4);
  });

  it('maps NPS answers to points: 9–10 promoters, 7–8 passives, 0–6 detractors', () => {
    expect([0, 6, 7, 8, 9, 10].map(npsPoints)).toEqual([-100, -100, 0, 0, 100, 100]);
  });

  it('prints both tables and the verdict', () => {
    const better = { fitting: new Uint32Array(N).fill(20), shownUtility: new Float64Array(N).fill(-10) };
    const text = formatAnalysis(analyse(result(outcome('random', 10), outcome('segment', 30), outcome('personalized', 60, 50, better)), projectStatistics));
    expect(text).toContain('Uplift over segment');
    expect(text).toMatch(/conversion \(bought at least once\) +10\.0 % \[\d/);
    expect(text).toMatch(/\+30\.0 pp \[16\.9, 43\.1\]/);
    const verdict = text.trim().split('\n').slice(-3);
    expect(verdict[0]).toMatch(/^personalized BEATS segment/);
    expect(verdict[2]).toBe(
      "Its pages: 50.0 % of shown items fit the shopper's true taste against 25.0 % (+25.0 points [+25.0, +25.0]); their utility −0.25 against −0.50 (+0.25 [+0.25, +0.25]; 0 is as good as the shopper's own picks).",
    );
    const md = formatAnalysis(analyse(result(outcome('segment', 30), outcome('personalized', 60)), projectStatistics), { markdown: true });
    expect(md).toContain('|  | segment | personalized |');
    expect(md).toMatch(/\| --- \| --- \| --- \|/);
  });
});
