import { describe, expect, it } from 'vitest';
import {
  chiSquaredSf,
  incompleteBeta,
  logGamma,
  lowerGamma,
  normalCdf,
  normalQuantile,
  tCdf,
  tQuantile,
  tTwoSided,
  upperGamma,
} from '../../src/stats/distributions.ts';

/** Relative closeness: `digits` significant digits. */
function close(actual: number, expected: number, digits = 11) {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(Math.abs(expected) * 10 ** -digits + 1e-300);
}

describe('distributions, against scipy 1.17', () => {
  it('the normal CDF: scipy.stats.norm.cdf(x) for x in (-8, -1.5, 0, 0.5, 2.5)', () => {
    const expected = [6.22096057427174e-16, 0.06680720126885807, 0.5, 0.6914624612740131, 0.9937903346742238];
    [-8, -1.5, 0, 0.5, 2.5].forEach((x, i) => {
      close(normalCdf(x), expected[i], 12);
    });
  });

  it('the normal quantile: scipy.stats.norm.ppf(p) for p in (1e-12, 0.001, 0.3, 0.975, 0.999999)', () => {
    const expected = [-7.034483825301131, -3.090232306167813, -0.5244005127080409, 1.959963984540054, 4.753424308817087];
    [1e-12, 0.001, 0.3, 0.975, 0.999999].forEach((p, i) => {
      close(normalQuantile(p), expected[i], 12);
    });
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });

  it("Student's t CDF, fractional degrees of freedom too: scipy.stats.t.cdf(t, df)", () => {
    const cases: Array<[number, number, number]> = [
      [2.0, 10, 0.9633059826146299],
      [-1.5, 3.7, 0.10679908460100675],
      [0.7, 1, 0.6944001122142147],
      [3.2, 57.3, 0.9988792836964859],
      [-40, 2.5, 7.09781714524669e-5],
    ];
    for (const [t, df, p] of cases) close(tCdf(t, df), p, 12);
    close(tTwoSided(-1.5, 3.7), 2 * 0.10679908460100675, 12);
  });

  it("Student's t quantile: scipy.stats.t.ppf(p, df)", () => {
    const cases: Array<[number, number, number]> = [
      [0.975, 10, 2.228138851986274],
      [0.975, 4.3, 2.70169489828223],
      [0.025, 1, -12.706204736174705],
      [0.995, 120.5, 2.617245970983195],
      [0.9, 2, 1.8856180831641272],
    ];
    for (const [p, df, t] of cases) close(tQuantile(p, df), t, 11);
  });

  it('the chi-squared survival function, far tail too: scipy.stats.chi2.sf(x, k)', () => {
    const cases: Array<[number, number, number]> = [
      [3.84, 1, 0.05004352124870519],
      [10, 3, 0.01856613546304325],
      [0.5, 2, 0.7788007830714049],
      [30, 2, 3.0590232050182594e-7],
      [200, 4, 3.75727673578106e-42],
      [15.2, 7, 0.033519466614424016],
    ];
    for (const [x, k, p] of cases) close(chiSquaredSf(x, k), p, 11);
  });

  it('the regularised incomplete beta: scipy.special.betainc(a, b, x)', () => {
    const cases: Array<[number, number, number, number]> = [
      [2, 5, 0.3, 0.5798250000000003],
      [0.5, 0.5, 0.9, 0.7951672353008665],
      [30, 40, 0.45, 0.6447480085585666],
      [5, 0.5, 0.999, 0.9222819921009667],
    ];
    for (const [a, b, x, v] of cases) close(incompleteBeta(x, a, b), v, 11);
  });

  it('the regularised incomplete gamma: scipy.special.gammainc(a, x) and gammaincc(a, x)', () => {
    const lower: Array<[number, number, number]> = [
      [0.5, 0.2, 0.47291074313446196],
      [3, 2.5, 0.45618688411667035],
      [10, 15, 0.9301463393005901],
      [50, 40, 0.07033506665939494],
    ];
    for (const [a, x, v] of lower) close(lowerGamma(a, x), v, 11);
    const upper: Array<[number, number, number]> = [
      [0.5, 0.2, 0.5270892568655381],
      [3, 2.5, 0.5438131158833297],
      [10, 15, 0.06985366069940986],
      [2, 80, 1.4619296241547749e-33],
    ];
    for (const [a, x, v] of upper) close(upperGamma(a, x), v, 11);
  });

  it('log-gamma: scipy.special.gammaln(x)', () => {
    const cases: Array<[number, number]> = [
      [0.1, 2.252712651734206],
      [0.5, 0.5723649429247],
      [4.5, 2.4537365708424423],
      [100, 359.1342053695754],
      [1e4, 82099.71749644238],
    ];
    for (const [x, v] of cases) close(logGamma(x), v, 12);
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
  });
});
