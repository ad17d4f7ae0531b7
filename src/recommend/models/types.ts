/**
 * The recommender surface every model implements. Models work on dense indices (0..nUsers-1,
 * 0..nItems-1) over typed arrays; mapping to string ids, filtering and explanations live in the
 * recommend pipeline, not here. Models do no I/O and read no clock: `now` is passed in.
 */

/** Weighted implicit-feedback interactions in coordinate form (one entry per user-item event). */
export interface Interactions {
  nUsers: number;
  nItems: number;
  users: Int32Array;
  items: Int32Array;
  /** Signed strength (purchase > view; dislike and return negative), already time-decayed if wanted. */
  weights: Float32Array;
  /** Epoch milliseconds of each interaction. */
  times: Float64Array;
}

/** One entry of the user's current history, as the pipeline hands it to `score`. */
export interface HistoryEntry {
  item: number;
  weight: number;
  time: number;
}

export interface ScoreResult {
  /** One score per item index; higher is better. NaN or -Infinity means "no opinion". */
  scores: Float32Array;
  /**
   * Optional, for explanations: per item, the index into `history` of the entry that contributed
   * most to its score, or -1.
   */
  because?: Int32Array;
}

export interface FitOptions {
  /** Seed for anything random (initialisation, sampling). */
  seed?: number;
  /** Called with a fraction in [0, 1] as fitting advances. */
  onProgress?: (fraction: number) => void;
}

export interface Recommender {
  /** A stable model name such as `popularity` or `ease`. */
  readonly name: string;
  fit(data: Interactions, opts?: FitOptions): void;
  /** Scores every item for a user described only by their current history (fold-in: no retraining). */
  score(history: readonly HistoryEntry[], now: number): ScoreResult;
  /** The items most like `item`, best first. */
  similar(item: number, n: number): { items: Int32Array; scores: Float32Array };
  /** Serialises the fitted state; `load` in the model's module restores it. */
  save(): Uint8Array;
}

/** Thrown when a model cannot be fitted (empty data, NaN factors…). */
export class ModelFitError extends Error {
  override readonly name: string = 'ModelFitError';
}

/** Thrown when there is too little to learn from yet (no positive interaction): a skip, not a failure. */
export class NotEnoughDataError extends ModelFitError {
  override readonly name = 'NotEnoughDataError';
}
