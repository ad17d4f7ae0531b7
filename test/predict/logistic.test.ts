import { describe, expect, it } from 'vitest';
import { calibrated, fitIsotonic, fitPlatt } from '../../src/predict/calibrate.ts';
import { fitCalibrated, probabilityOf, selectColumns } from '../../src/predict/calibrated-model.ts';
import { contributions, fitLogistic, logitOf, type Matrix, sigmoid, solveSpd } from '../../src/predict/logistic.ts';
import { auc, expectedCalibrationError, reliability } from '../../src/eval/predict-metrics.ts';
import { gaussian, rng } from '../../src/stats/random.ts';

/** Rows of three features: the label follows 2·x0 − x1 (x2 is noise), on a scale of its own per column. */
function planted(seed: number, n: number): { x: Matrix; y: Uint8Array; truth: number[] } {
  const r = rng(seed);
  const data = new Float64Array(n * 3);
  const y = new Uint8Array(n);
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = gaussian(r);
    const b = gaussian(r);
    const c = gaussian(r);
    data.set([10 + 5 * a, -3 + 0.1 * b, 100 * c], i * 3);
    const p = sigmoid(2 * a - b - 0.5);
    truth.push(p);
    y[i] = r() < p ? 1 : 0;
  }
  return { x: { data, rows: n, cols: 3 }, y, truth };
}

describe('regularised logistic regression', () => {
  it('learns a planted signal whatever the scale of each feature', () => {
    const { x, y } = planted(1, 4000);
    const m = fitLogistic(x, y, { l2: 1e-3 });
    // Weights are per standard deviation, so they match the planted 2 and −1.
    expect(m.weights[0]).toBeGreaterThan(1.7);
    expect(m.weights[0]).toBeLessThan(2.3);
    expect(m.weights[1]).toBeLessThan(-0.8);
    expect(m.weights[1]).toBeGreaterThan(-1.2);
    expect(Math.abs(m.weights[2])).toBeLessThan(0.15);
    const test = planted(2, 2000);
    const p = Array.from({ length: 2000 }, (_, i) => sigmoid(logitOf(m, test.x.data.subarray(i * 3, i * 3 + 3))));
    expect(auc(p, test.y)).toBeGreaterThan(auc(test.truth, test.y) - 0.01);
  });

  it('shrinks the weights as the penalty grows', () => {
    const { x, y } = planted(3, 1000);
    const loose = fitLogistic(x, y, { l2: 1e-4 });
    const tight = fitLogistic(x, y, { l2: 1 });
    expect(Math.abs(tight.weights[0])).toBeLessThan(Math.abs(loose.weights[0]) * 0.6);
  });

  it('explains a row by weight × standardised value, which sum to the log-odds', () => {
    const { x, y } = planted(4, 500);
    const m = fitLogistic(x, y);
    const row = [20, -3.1, 50];
    const c = contributions(m, row);
    expect(c[0]).toBeGreaterThan(0);
    expect(m.bias + c.reduce((a, b) => a + b, 0)).toBeCloseTo(logitOf(m, row), 10);
  });

  it('solves a symmetric positive-definite system', () => {
    const a = Float64Array.from([4, 1, 0, 1, 3, 1, 0, 1, 2]);
    const x = solveSpd(a, Float64Array.from([1, 2, 3]), 3);
    const back = [0, 1, 2].map((i) => a[i * 3] * x[0] + a[i * 3 + 1] * x[1] + a[i * 3 + 2] * x[2]);
    expect(back[0]).toBeCloseTo(1, 10);
    expect(back[1]).toBeCloseTo(2, 10);
    expect(back[2]).toBeCloseTo(3, 10);
  });
});

describe('calibration', () => {
  // Scores three times too confident: a calibrated model must undo that.
  const r = rng(9);
  const n = 6000;
  const truth = Array.from({ length: n }, () => gaussian(r));
  const y = truth.map((t) => (r() < sigmoid(t) ? 1 : 0));
  const scores = truth.map((t) => 3 * t + 1);

  it('Platt scaling recovers the slope and offset', () => {
    const p = fitPlatt(scores, y);
    expect(p.a).toBeGreaterThan(0.28);
    expect(p.a).toBeLessThan(0.39);
    expect(p.b).toBeCloseTo(-p.a, 1);
    const probs = scores.map((s) => calibrated(p, s));
    const raw = scores.map(sigmoid);
    expect(expectedCalibrationError(reliability(probs, y))).toBeLessThan(0.03);
    expect(expectedCalibrationError(reliability(raw, y))).toBeGreaterThan(0.08);
  });

  it('isotonic regression is non-decreasing and calibrated', () => {
    const iso = fitIsotonic(scores, y);
    for (let k = 1; k < iso.ps.length; k++) expect(iso.ps[k]).toBeGreaterThanOrEqual(iso.ps[k - 1]);
    const probs = scores.map((s) => calibrated(iso, s));
    expect(expectedCalibrationError(reliability(probs, y))).toBeLessThan(0.03);
    expect(calibrated(iso, -1e9)).toBeLessThan(0.1);
    expect(calibrated(iso, 1e9)).toBeGreaterThan(0.9);
  });

  it('a cross-fitted model gives calibrated probabilities on new rows, the same for the same seed', () => {
    const { x, y: labels } = planted(5, 3000);
    const groups = Int32Array.from({ length: 3000 }, (_, i) => i % 700);
    const m = fitCalibrated(x, labels, groups, { seed: 3 });
    expect(fitCalibrated(x, labels, groups, { seed: 3 })).toEqual(m);
    const test = planted(6, 3000);
    const p = Array.from({ length: 3000 }, (_, i) => probabilityOf(m, test.x.data.subarray(i * 3, i * 3 + 3)));
    expect(expectedCalibrationError(reliability(p, test.y))).toBeLessThan(0.04);
    const one = fitCalibrated(selectColumns(x, [2]), labels, groups, { seed: 3 });
    const q = Array.from({ length: 3000 }, (_, i) => probabilityOf(one, [test.x.data[i * 3 + 2]]));
    expect(auc(q, test.y)).toBeLessThan(0.56);
  });
});
