import { describe, expect, it } from 'vitest';
import { crossFeatures } from '../../src/present/policies/features.ts';
import { armFromJson, armToJson, learn, newArm, predict, theta } from '../../src/present/policies/ridge.ts';
import { choose, probabilities, ucbScores, type Arms, type PolicyOption } from '../../src/present/policies/policies.ts';
import { rng } from '../../src/stats/random.ts';

const opt = (key: string, ...x: number[]): PolicyOption => ({ key, x: Float64Array.from(x) });

describe('crossFeatures', () => {
  it('is [1, c] ⊗ [1, f]', () => {
    expect([...crossFeatures([2, 3], [5])]).toEqual([1, 5, 2, 10, 3, 15]);
    expect([...crossFeatures([4])]).toEqual([1, 4]);
  });
});

describe('ridge arm (Sherman–Morrison)', () => {
  it('matches the hand-computed inverse after one reward', () => {
    // λ = 1, x = [1, 1], r = 1: A = [[2,1],[1,2]], A⁻¹ = ⅓[[2,−1],[−1,2]], b = [1,1], θ = [⅓, ⅓].
    const arm = newArm(2);
    learn(arm, Float64Array.of(1, 1), 1);
    const third = 1 / 3;
    arm.inv.forEach((v, i) => {
      expect(v).toBeCloseTo([2 * third, -third, -third, 2 * third][i], 12);
    });
    expect([...theta(arm)].map((v) => +v.toFixed(12))).toEqual([+third.toFixed(12), +third.toFixed(12)]);
    // For x = [1, 0]: mean θ·x = ⅓, xᵀA⁻¹x = ⅔.
    const p = predict(arm, Float64Array.of(1, 0));
    expect(p.mean).toBeCloseTo(third, 12);
    expect(p.variance).toBeCloseTo(2 / 3, 12);
  });
});

describe('ridge arm storage', () => {
  it('round-trips through JSON with the same predictions', () => {
    const arm = newArm(2);
    learn(arm, Float64Array.of(1, 1), 1);
    learn(arm, Float64Array.of(1, -1), 0.5);
    const back = armFromJson(JSON.parse(JSON.stringify(armToJson(arm))));
    const x = Float64Array.of(0.3, 2);
    expect(predict(back, x)).toEqual(predict(arm, x));
    expect(back.n).toBe(2);
  });
});

describe('LinUCB, two options', () => {
  // Option a learnt one reward 1 at x = [1, 1] (as above); option b learnt nothing.
  // At x = [1, 1]: a: mean ⅔, width √⅔ ≈ 0.8165; b: mean 0, width √(xᵀx) = √2 ≈ 1.4142.
  // α = 1: a 1.4832 > b 1.4142 → a. α = 2: a 2.2997 < b 2.8284 → b.
  const arms: Arms = { a: newArm(2) };
  learn(arms.a, Float64Array.of(1, 1), 1);
  const options = [opt('a', 1, 1), opt('b', 1, 1)];

  it('scores each option by its upper confidence bound', () => {
    const s = ucbScores(arms, options, 1);
    expect(s[0]).toBeCloseTo(2 / 3 + Math.sqrt(2 / 3), 10);
    expect(s[1]).toBeCloseTo(Math.SQRT2, 10);
  });

  it('gives the argmax 1 − floor + floor/K and the rest floor/K', () => {
    const p1 = probabilities({ kind: 'linucb', alpha: 1, floor: 0.1 }, arms, options, rng(1));
    expect([...p1].map((v) => +v.toFixed(12))).toEqual([0.95, 0.05]);
    const p2 = probabilities({ kind: 'linucb', alpha: 2, floor: 0.1 }, arms, options, rng(1));
    expect([...p2].map((v) => +v.toFixed(12))).toEqual([0.05, 0.95]);
  });

  it('chooses at the rate it reports', () => {
    const rand = rng(7);
    let a = 0;
    for (let i = 0; i < 20_000; i++) {
      const c = choose({ kind: 'linucb', alpha: 1, floor: 0.1 }, arms, options, rand);
      if (c.index === 0) {
        a++;
        expect(c.propensity).toBeCloseTo(0.95, 12);
      } else expect(c.propensity).toBeCloseTo(0.05, 12);
    }
    expect(a / 20_000).toBeGreaterThan(0.94);
    expect(a / 20_000).toBeLessThan(0.96);
  });
});

describe('ε-greedy (context-free)', () => {
  it('splits the greedy share between tied best means', () => {
    const arms: Arms = { a: newArm(1), b: newArm(1), c: newArm(1) };
    const x = Float64Array.of(1);
    for (const r of [0.5, 0.5, 0.5]) learn(arms.a, x, r); // mean 0.5
    for (const r of [0.8, 0.8]) learn(arms.b, x, r); // mean 0.8
    learn(arms.c, x, 0.8); // mean 0.8
    // ε = 0.3, K = 3: a 0.1; b and c 0.7/2 + 0.1 = 0.45.
    const p = probabilities({ kind: 'epsilon-greedy', epsilon: 0.3 }, arms, [opt('a', 1), opt('b', 1), opt('c', 1)], rng(1));
    expect([...p].map((v) => +v.toFixed(12))).toEqual([0.1, 0.45, 0.45]);
  });

  it('tries an option never rewarded first', () => {
    const arms: Arms = { a: newArm(1) };
    learn(arms.a, Float64Array.of(1), 1);
    const p = probabilities({ kind: 'epsilon-greedy', epsilon: 0.2 }, arms, [opt('a', 1), opt('new', 1)], rng(1));
    expect(p[1]).toBeCloseTo(0.9, 12);
  });
});

describe('linear Thompson sampling', () => {
  const spec = { kind: 'thompson', v: 0.5, floor: 0.1, samples: 500 } as const;
  const arms: Arms = { a: newArm(2), b: newArm(2) };
  for (let i = 0; i < 50; i++) {
    learn(arms.a, Float64Array.of(1, 1), 1);
    learn(arms.b, Float64Array.of(1, 1), 0.2);
  }
  const options = [opt('a', 1, 1), opt('b', 1, 1)];

  it('is the same for the same seed, and differs for another', () => {
    const run = (seed: number) => {
      const r = rng(seed);
      return Array.from({ length: 20 }, () => choose(spec, arms, options, r));
    };
    expect(run(3)).toEqual(run(3));
    const fresh: Arms = { a: newArm(2), b: newArm(2) };
    const seqA = (seed: number) => {
      const r = rng(seed);
      return Array.from({ length: 30 }, () => choose(spec, fresh, options, r).index).join('');
    };
    expect(seqA(3)).not.toEqual(seqA(4));
  });

  it('floors every chance and puts the rest on the clearly better option', () => {
    const p = probabilities(spec, arms, options, rng(5));
    expect(p[0] + p[1]).toBeCloseTo(1, 12);
    expect(p[1]).toBeGreaterThanOrEqual(0.05);
    expect(p[0]).toBeGreaterThan(0.9);
  });

  it('is near even between two unknown options', () => {
    const p = probabilities(spec, {}, options, rng(9));
    expect(Math.abs(p[0] - 0.5)).toBeLessThan(0.06);
  });
});
