import { describe, expect, it } from 'vitest';
import type { Arm } from '../../src/simulate/arms.ts';
import { axisFor, conversionChart, dailyConversion } from '../../src/simulate/chart.ts';
import type { ArmOutcome, SimulationResult } from '../../src/simulate/run.ts';

function arm(name: Arm, visits: number[], buying: number[], first: number[]): ArmOutcome {
  const n = 10;
  return {
    arm: name,
    workspace: name,
    visits: new Uint32Array(n),
    orders: new Uint32Array(n),
    revenue: new Float64Array(n),
    events: new Uint32Array(n),
    churned: new Uint8Array(n),
    nps: new Int8Array(n),
    shown: new Uint32Array(n),
    fitting: new Uint32Array(n),
    shownUtility: new Float64Array(n),
    clicks: new Uint32Array(n),
    itemsBought: new Uint32Array(n),
    itemsBoughtFromPage: new Uint32Array(n),
    dailyVisits: visits,
    dailyBuyingVisits: buying,
    dailyFirstBuyers: first,
    requests: 0,
    eventsSent: 0,
    chat: { visits: 0, messages: 0, empty: 0 },
  };
}
const result: SimulationResult = {
  seed: 1,
  days: 3,
  items: 5,
  users: 10,
  arms: [arm('segment', [10, 0, 10], [1, 0, 3], [1, 0, 2]), arm('personalized', [10, 10, 10], [2, 2, 2], [2, 1, 1])],
};

describe('the conversion chart', () => {
  it('plots the share of shoppers who have bought so far, and the visits that bought over 7 days', () => {
    const [seg, per] = dailyConversion(result);
    expect(seg.cumulative).toEqual([0.1, 0.1, 0.3]);
    expect(per.cumulative).toEqual([0.2, 0.3, 0.4]);
    expect(seg.daily).toEqual([0.1, 0.1, 0.2]);
    expect(per.daily).toEqual([0.2, 0.2, 0.2]);
    expect(dailyConversion({ ...result, arms: [arm('random', [0, 5, 0], [0, 1, 0], [0, 1, 0])] })[0].daily).toEqual([null, 0.2, 0.2]);
  });

  it('is an SVG with a line per arm in each panel and a legend', () => {
    const svg = conversionChart(result);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<path /g)).toHaveLength(4);
    expect(svg).toContain('>segment</text>');
    expect(svg).toContain('>personalized</text>');
    expect(svg.length).toBeLessThan(20_000);
  });

  it('chooses round axes above the highest value', () => {
    expect(axisFor(0.23)).toEqual({ step: 0.05, top: 0.25 });
    expect(axisFor(0.031)).toEqual({ step: 0.01, top: 0.04 });
    expect(axisFor(0.02)).toEqual({ step: 0.005, top: 0.02 });
    expect(axisFor(0)).toEqual({ step: 0.005, top: 0.005 });
  });
});
