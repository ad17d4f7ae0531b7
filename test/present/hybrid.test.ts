import { describe, expect, it } from 'vitest';
import { hybridLearn, hybridProbabilities, hybridScores, newHybrid } from '../../src/present/policies/hybrid.ts';

const one = Float64Array.of(1);

describe('hybrid LinUCB (Li et al. 2010, algorithm 2)', () => {
  /*
   * d = k = 1, λ = 1; option a learns reward 1 at x = z = 1.
   * Before: Bᵀ A⁻¹ B = 0. Then A_a = 2 (A⁻¹ = ½), B_a = 1, b_a = 1; after: BᵀA⁻¹B = ½, BᵀA⁻¹b = ½.
   * A₀ = 1 + 0 + 1 − ½ = 1.5, b₀ = 0 + 1 − ½ = ½ → β̂ = ⅓; θ̂_a = ½(1 − 1·⅓) = ⅓.
   * a at x = z = 1: mean ⅔; A₀⁻¹ = ⅔, A⁻¹x = ½, u = Bᵀ·½ = ½:
   *   s = ⅔ − 2·⅔·½ + ½ + ½·⅔·½ = ⅔.
   * An option never seen (b): θ̂ = 0, mean = zᵀβ̂ = ⅓ (the shared part carries over); s = ⅔ + 1 = 5/3.
   */
  const state = newHybrid(1, 1);
  hybridLearn(state, { key: 'a', x: one, z: one }, 1);

  it('updates A₀ and b₀ as computed by hand', () => {
    expect(state.A0[0]).toBeCloseTo(1.5, 12);
    expect(state.b0[0]).toBeCloseTo(0.5, 12);
    expect(state.arms.a.inv[0]).toBeCloseTo(0.5, 12);
  });

  it('scores a learnt option and carries the shared part to a new one', () => {
    const [a] = hybridScores(state, [{ key: 'a', x: one, z: one }], 0);
    const [b] = hybridScores(state, [{ key: 'b', x: one, z: one }], 0);
    expect(a).toBeCloseTo(2 / 3, 12);
    expect(b).toBeCloseTo(1 / 3, 12);
    const [aw, bw] = hybridScores(
      state,
      [
        { key: 'a', x: one, z: one },
        { key: 'b', x: one, z: one },
      ],
      1,
    );
    expect(aw).toBeCloseTo(2 / 3 + Math.sqrt(2 / 3), 12);
    expect(bw).toBeCloseTo(1 / 3 + Math.sqrt(5 / 3), 12);
  });

  it('floors the propensities', () => {
    const p = hybridProbabilities(
      state,
      [
        { key: 'a', x: one, z: one },
        { key: 'b', x: one, z: one },
      ],
      0,
      0.2,
    );
    expect([...p].map((v) => +v.toFixed(12))).toEqual([0.9, 0.1]);
  });
});
