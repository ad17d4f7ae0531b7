/**
 * A logistic model with calibrated probabilities: the calibration is fitted on out-of-fold scores
 * (each row scored by a model that did not see its person), then the model is refitted on every row.
 * The folds are drawn from the seed, so the same history and seed give the same model.
 */
import { rng, shuffleInPlace } from '../stats/random.ts';
import { type Calibration, calibrated, fitIsotonic, fitPlatt } from './calibrate.ts';
import { fitLogistic, logitOf, type LogisticModel, type Matrix } from './logistic.ts';

export type CalibrationMethod = 'platt' | 'isotonic';

export interface CalibratedModel {
  model: LogisticModel;
  calibration: Calibration;
  /** Training rows and how many were positive. */
  rows: number;
  positives: number;
}

export interface CalibratedOptions {
  seed: number;
  folds?: number;
  l2?: number;
  calibration?: CalibrationMethod;
  /**
   * The rows the calibration is fitted on (default all): the latest snapshot's, where the shop has
   * drifted (people leave, rates fall), are the closest to the moment the probabilities are used.
   */
  calibrateOn?: Uint8Array;
}

/** A rows' group (the person), so that all of a person's rows fall in one fold. */
export function fitCalibrated(x: Matrix, y: Uint8Array, groups: Int32Array, opts: CalibratedOptions): CalibratedModel {
  const folds = opts.folds ?? 3;
  let nGroups = 0;
  for (const g of groups) nGroups = Math.max(nGroups, g + 1);
  const perm = shuffleInPlace(
    Array.from({ length: nGroups }, (_, i) => i),
    rng(opts.seed),
  );
  const foldOf = new Int32Array(nGroups);
  for (let k = 0; k < perm.length; k++) foldOf[perm[k]] = k % folds;
  const oof = new Float64Array(x.rows);
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const held: number[] = [];
    for (let r = 0; r < x.rows; r++) (foldOf[groups[r]] === f ? held : train).push(r);
    if (held.length === 0) continue;
    const m = fitLogistic(x, y, { l2: opts.l2 }, Int32Array.from(train));
    for (const r of held) oof[r] = logitOf(m, x.data.subarray(r * x.cols, (r + 1) * x.cols));
  }
  const mask = opts.calibrateOn;
  const cs = mask ? oof.filter((_, r) => mask[r]) : oof;
  const cy = mask ? y.filter((_, r) => mask[r]) : y;
  const calibration = opts.calibration === 'isotonic' ? fitIsotonic(cs, cy) : fitPlatt(cs, cy);
  const model = fitLogistic(x, y, { l2: opts.l2 });
  let positives = 0;
  for (const v of y) positives += v;
  return { model, calibration, rows: x.rows, positives };
}

/** The calibrated probability of one row of raw features. */
export function probabilityOf(m: CalibratedModel, row: ArrayLike<number>): number {
  return calibrated(m.calibration, logitOf(m.model, row));
}

/** Keeps only some columns of a matrix (the baseline uses one feature of the full model's). */
export function selectColumns(x: Matrix, cols: readonly number[]): Matrix {
  const out = new Float64Array(x.rows * cols.length);
  for (let r = 0; r < x.rows; r++) for (let k = 0; k < cols.length; k++) out[r * cols.length + k] = x.data[r * x.cols + cols[k]];
  return { data: out, rows: x.rows, cols: cols.length };
}
