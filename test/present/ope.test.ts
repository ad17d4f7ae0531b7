import { describe, expect, it } from 'vitest';
import { doublyRobust, ips, meanRewardModel, replay, snips, withInterval, type OpeLog } from '../../src/present/ope.ts';
import { rng } from '../../src/stats/random.ts';

/**
 * Four rounds, two options. Weights w = π(a)/μ(a): 1/0.5 = 2, 0/0.5 = 0, 0.5/0.25 = 2, 0.5/0.75 = ⅔.
 * IPS = (2·1 + 0 + 2·0 + ⅔·1)/4 = ⅔.  SNIPS = (8/3)/(2 + 0 + 2 + ⅔) = 4/7.
 * DR with q ≡ 0.5: direct 0.5 per round, corrections 2·0.5, 0, 2·(−0.5), ⅔·0.5 → (2 + 1 − 1 + ⅓)/4 = 7/12.
 * Replay with the policy's draws [0, 0, 1, 1]: rounds 1 and 4 match, rewards 1 and 1 → 1.
 */
const log: OpeLog = {
  n: 4,
  k: 2,
  action: Int32Array.of(0, 1, 0, 1),
  reward: Float64Array.of(1, 0, 0, 1),
  propensity: Float64Array.of(0.5, 0.5, 0.25, 0.75),
  target: Float64Array.of(1, 0, 1, 0, 0.5, 0.5, 0.5, 0.5),
  q: new Float64Array(8).fill(0.5),
  targetAction: Int32Array.of(0, 0, 1, 1),
};
const all = Int32Array.of(0, 1, 2, 3);

describe('off-policy estimators on a hand-computed log', () => {
  it('IPS', () => expect(ips(log, all)).toBeCloseTo(2 / 3, 12));
  it('SNIPS', () => expect(snips(log, all)).toBeCloseTo(4 / 7, 12));
  it('doubly robust', () => expect(doublyRobust(log, all)).toBeCloseTo(7 / 12, 12));
  it('replay', () => expect(replay(log, all)).toBe(1));
  it("the mean reward model is each option's mean logged reward", () => {
    // option 0: rewards 1, 0 → 0.5; option 1: rewards 0, 1 → 0.5; with strata [0,0,1,1]: s0 {0:1, 1:0}, s1 {0:0, 1:1}.
    expect([...meanRewardModel(log)]).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    expect([...meanRewardModel(log, Int32Array.of(0, 0, 1, 1))]).toEqual([1, 0, 1, 0, 0, 1, 0, 1]);
  });
});

describe('bootstrap interval', () => {
  // A uniform log over two options whose rewards are Bernoulli(0.3) and Bernoulli(0.7); the policy
  // always picks option 1, so its value is 0.7.
  const n = 4000;
  const r = rng(11);
  const action = Int32Array.from({ length: n }, () => (r() < 0.5 ? 0 : 1));
  const big: OpeLog = {
    n,
    k: 2,
    action,
    reward: Float64Array.from(action, (a) => (r() < (a ? 0.7 : 0.3) ? 1 : 0)),
    propensity: new Float64Array(n).fill(0.5),
    target: Float64Array.from({ length: 2 * n }, (_, j) => (j % 2 === 1 ? 1 : 0)),
  };
  it('covers the true value, is seeded, and narrows the point estimate', () => {
    const e = withInterval(snips, big, 5);
    expect(e.low).toBeLessThan(0.7);
    expect(e.high).toBeGreaterThan(0.7);
    expect(e.low).toBeLessThan(e.estimate);
    expect(e.high).toBeGreaterThan(e.estimate);
    expect(e.high - e.low).toBeLessThan(0.07);
    expect(withInterval(snips, big, 5)).toEqual(e);
  });
});
