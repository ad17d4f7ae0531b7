import { describe, expect, it } from 'vitest';
import { gaussian, rng } from '../../src/stats/random.ts';
import { differenceInterval, ratioEstimate, relativeUplift } from '../../src/stats/ratio.ts';

describe('ratio metrics by the delta method', () => {
  it('average order value over people: the ratio and its variance as numpy computes them', () => {
    // revenue and orders per person; numpy: R = y.mean()/x.mean(),
    // v = (np.var(y,ddof=1) - 2*R*np.cov(y,x,ddof=1)[0,1] + R*R*np.var(x,ddof=1)) / (n*x.mean()**2)
    const revenue = [120, 0, 35.5, 80, 0, 0, 210, 45, 60, 0];
    const orders = [2, 0, 1, 1, 0, 0, 3, 1, 1, 0];
    const r = ratioEstimate(revenue, orders);
    expect(r.ratio).toBeCloseTo(61.166666666666664, 12);
    expect(r.variance).toBeCloseTo(27.213839353757134, 10);
  });

  it('its 95 % interval covers the true ratio about 95 % of the time (seeded simulation)', () => {
    // People order Poisson-like counts with a true value per order of 50: the ratio's truth is 50.
    const draw = rng(42);
    let covered = 0;
    const trials = 400;
    for (let t = 0; t < trials; t++) {
      const y: number[] = [];
      const x: number[] = [];
      for (let i = 0; i < 300; i++) {
        const orders = Math.floor(draw() * 4); // 0..3
        let revenue = 0;
        for (let k = 0; k < orders; k++) revenue += 50 + 20 * gaussian(draw);
        y.push(revenue);
        x.push(orders);
      }
      const r = ratioEstimate(y, x);
      const half = 1.959963984540054 * Math.sqrt(r.variance);
      if (Math.abs(r.ratio - 50) <= half) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.92);
    expect(covered / trials).toBeLessThan(0.98);
  });

  it('relative uplift: the estimate and the delta-method interval Var(b/a) ≈ Var(b)/a² + b²Var(a)/a⁴', () => {
    const u = relativeUplift({ estimate: 0.1, variance: 1e-4 }, { estimate: 0.12, variance: 1.2e-4 })!;
    expect(u.estimate).toBeCloseTo(0.2, 12);
    const se = Math.sqrt(1.2e-4 / 0.01 + (0.0144 * 1e-4) / 1e-4);
    expect(u.high - u.estimate).toBeCloseTo(1.959963984540054 * se, 12);
    expect(relativeUplift({ estimate: 0, variance: 1 }, { estimate: 1, variance: 1 })).toBeNull();
  });

  it('the difference of two estimates, with a normal interval', () => {
    const d = differenceInterval({ estimate: 10, variance: 4 }, { estimate: 13, variance: 5 });
    expect(d.estimate).toBe(3);
    expect(d.se).toBe(3);
    expect(d.low).toBeCloseTo(3 - 1.959963984540054 * 3, 12);
  });
});
