import { describe, expect, it } from 'vitest';
import { chanceToBeatNormal, chanceToBeatProportion, probabilityBBeatsA } from '../../src/stats/bayes.ts';

describe('chance to beat control', () => {
  // Each expected value is scipy.integrate.quad(lambda p: stats.beta.pdf(p, aB, bB) * stats.beta.cdf(p, aA, bA), 0, 1).
  it('Beta-Binomial, exactly: 120/1000 against 150/1000 with a uniform prior (Beta(121, 881) vs Beta(151, 851))', () => {
    expect(chanceToBeatProportion(120, 1000, 150, 1000)).toBeCloseTo(0.975067836812144, 10);
  });

  it('small counts: Beta(11, 91) vs Beta(13, 89), and Beta(4, 8) vs Beta(6, 6)', () => {
    expect(probabilityBBeatsA(11, 91, 13, 89)).toBeCloseTo(0.6707204652120804, 10);
    expect(probabilityBBeatsA(4, 8, 6, 6)).toBeCloseTo(0.8065015479876159, 10);
  });

  it('is symmetric: P(B > A) + P(A > B) = 1', () => {
    expect(probabilityBBeatsA(11, 91, 13, 89) + probabilityBBeatsA(13, 89, 11, 91)).toBeCloseTo(1, 10);
  });

  it('for means: Φ(difference / se)', () => {
    expect(chanceToBeatNormal(1.959963984540054, 1)).toBeCloseTo(0.975, 12);
    expect(chanceToBeatNormal(0, 1)).toBeCloseTo(0.5, 15);
    expect(chanceToBeatNormal(2, 0)).toBe(1);
  });
});
