/**
 * Evaluation protocols as seeded splits of a dataset's rows into what a model is fitted on, what each
 * test user's history is at scoring time, and which items count as relevant.
 *
 * - `ms`: Microsoft Recommenders' ML-100k protocol — per user, a random 75/25 split of their items.
 * - `strong`: strong generalisation (Liang et al. 2018) — held-out users are not trained on; 80% of
 *   each one's items are the history, 20% are to be predicted.
 * - `loo`: leave-last-out — each user's most recent item is to be predicted from everything before it.
 */
import { rng } from '../stats/random.ts';
import type { HistoryEntry, Interactions } from '../recommend/models/types.ts';
import type { Dataset } from './datasets.ts';

export type Protocol = 'ms' | 'strong' | 'loo';
export const PROTOCOLS: readonly Protocol[] = ['ms', 'strong', 'loo'];

/** Positive, de-duplicated (user, item) rows: each counts as an interaction (of weight 1 unless `weights` says otherwise). */
export interface Rows {
  nUsers: number;
  nItems: number;
  users: Int32Array;
  items: Int32Array;
  times: Float64Array;
  /** The file's value of each row (a rating, or 1): what a served evaluation replays as the event's value. */
  values: Float32Array;
  /** The event type of each row, where the file has one (views, carts, purchases…). */
  types?: readonly string[];
  /**
   * The weight each row carries in fitting and in histories (1 when absent). `afin eval --model-weights
   * events` sets the weights the server gives the same events, so the model alone is fed as served.
   */
  weights?: Float32Array;
}

/**
 * The dataset's rows with value ≥ minValue (all rows if minValue is undefined), one per (user, item)
 * pair (the latest one).
 */
export function positiveRows(ds: Dataset, minValue?: number): Rows {
  const latest = new Map<number, number>();
  const nItems = ds.itemIds.length;
  for (let k = 0; k < ds.users.length; k++) {
    if (minValue !== undefined && !(ds.values[k] >= minValue)) continue;
    const key = ds.users[k] * nItems + ds.items[k];
    const prev = latest.get(key);
    if (prev === undefined || ds.times[k] >= ds.times[prev]) latest.set(key, k);
  }
  const idx = Int32Array.from(latest.values()).sort();
  return {
    nUsers: ds.userIds.length,
    nItems,
    users: Int32Array.from(idx, (k) => ds.users[k]),
    items: Int32Array.from(idx, (k) => ds.items[k]),
    times: Float64Array.from(idx, (k) => ds.times[k]),
    values: Float32Array.from(idx, (k) => ds.values[k]),
    ...(ds.types ? { types: Array.from(idx, (k) => ds.types![k]) } : {}),
  };
}

export function subsetRows(r: Rows, idx: Int32Array): Rows {
  return {
    nUsers: r.nUsers,
    nItems: r.nItems,
    users: Int32Array.from(idx, (k) => r.users[k]),
    items: Int32Array.from(idx, (k) => r.items[k]),
    times: Float64Array.from(idx, (k) => r.times[k]),
    values: Float32Array.from(idx, (k) => r.values[k]),
    ...(r.types ? { types: Array.from(idx, (k) => r.types![k]) } : {}),
    ...(r.weights ? { weights: Float32Array.from(idx, (k) => r.weights![k]) } : {}),
  };
}

/** Interactions for fitting (weight 1, or the rows' weights), from some of the rows. */
export function toInteractions(r: Rows, idx?: Int32Array): Interactions {
  const s = idx ? subsetRows(r, idx) : r;
  return { nUsers: s.nUsers, nItems: s.nItems, users: s.users, items: s.items, weights: s.weights ?? new Float32Array(s.users.length).fill(1), times: s.times };
}

/** Row indices grouped by user. */
export function byUser(r: Rows): Int32Array[] {
  const lists: number[][] = Array.from({ length: r.nUsers }, () => []);
  for (let k = 0; k < r.users.length; k++) lists[r.users[k]].push(k);
  return lists.map((l) => Int32Array.from(l));
}

function shuffle(a: Int32Array, rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/** One test case: a user's history at scoring time and the items to find. */
export interface Case {
  user: number;
  history: HistoryEntry[];
  relevant: Int32Array;
}

/** What a model is fitted on and tested with. */
export interface Task {
  protocol: Protocol;
  rows: Rows;
  /** Row indices to fit on. */
  train: Int32Array;
  cases: Case[];
  /** The clock passed to `score`: just after the latest row. */
  now: number;
}

function historyOf(r: Rows, idx: ArrayLike<number>): HistoryEntry[] {
  const h: HistoryEntry[] = [];
  for (let t = 0; t < idx.length; t++) h.push({ item: r.items[idx[t]], weight: r.weights ? r.weights[idx[t]] : 1, time: r.times[idx[t]] });
  return h.sort((a, b) => a.time - b.time);
}

function latest(r: Rows): number {
  let t = 0;
  for (let k = 0; k < r.times.length; k++) if (r.times[k] > t) t = r.times[k];
  return t + 1;
}

/** Per user, a seeded random `ratio` of their rows to train, the rest to test (users with one row: all train). */
export function msSplit(r: Rows, seed: number, ratio = 0.75): Task {
  const rand = rng(seed);
  const train: number[] = [];
  const cases: Case[] = [];
  for (const [user, rowsOfUser] of byUser(r).entries()) {
    const a = rowsOfUser.slice();
    shuffle(a, rand);
    const nTrain = a.length < 2 ? a.length : Math.min(a.length - 1, Math.max(1, Math.round(ratio * a.length)));
    const tr = a.subarray(0, nTrain);
    const te = a.subarray(nTrain);
    for (const k of tr) train.push(k);
    if (te.length) cases.push({ user, history: historyOf(r, tr), relevant: Int32Array.from(te, (k) => r.items[k]) });
  }
  return { protocol: 'ms', rows: r, train: Int32Array.from(train).sort(), cases, now: latest(r) };
}

/**
 * Strong generalisation: a seeded `heldout` fraction of the users (those with at least two rows) are
 * not trained on; each one's rows are split at random, `inputRatio` to history, the rest to predict.
 */
export function strongSplit(r: Rows, seed: number, heldout = 0.2, inputRatio = 0.8): Task {
  const rand = rng(seed);
  const groups = byUser(r);
  const eligible = Int32Array.from(groups.flatMap((g, u) => (g.length >= 2 ? [u] : [])));
  shuffle(eligible, rand);
  const nHeld = Math.max(1, Math.round(heldout * eligible.length));
  const held = new Set(eligible.subarray(0, Math.min(nHeld, eligible.length)));
  const train: number[] = [];
  const cases: Case[] = [];
  for (const [user, rowsOfUser] of groups.entries()) {
    if (!held.has(user)) {
      for (const k of rowsOfUser) train.push(k);
      continue;
    }
    const a = rowsOfUser.slice();
    shuffle(a, rand);
    const nIn = Math.min(a.length - 1, Math.max(1, Math.round(inputRatio * a.length)));
    cases.push({ user, history: historyOf(r, a.subarray(0, nIn)), relevant: Int32Array.from(a.subarray(nIn), (k) => r.items[k]) });
  }
  cases.sort((x, y) => x.user - y.user);
  return { protocol: 'strong', rows: r, train: Int32Array.from(train).sort(), cases, now: latest(r) };
}

/** Leave-last-out: each user's latest row (ties broken by the seed) is the target; users with one row only train. */
export function looSplit(r: Rows, seed: number): Task {
  const rand = rng(seed);
  const train: number[] = [];
  const cases: Case[] = [];
  for (const [user, rowsOfUser] of byUser(r).entries()) {
    if (rowsOfUser.length < 2) {
      for (const k of rowsOfUser) train.push(k);
      continue;
    }
    const a = rowsOfUser.slice();
    shuffle(a, rand); // random order among equal timestamps
    const order = Array.from(a).sort((x, y) => r.times[x] - r.times[y]);
    const last = order.pop()!;
    for (const k of order) train.push(k);
    cases.push({ user, history: historyOf(r, order), relevant: Int32Array.of(r.items[last]) });
  }
  return { protocol: 'loo', rows: r, train: Int32Array.from(train).sort(), cases, now: latest(r) };
}

export function split(protocol: Protocol, r: Rows, seed: number): Task {
  if (protocol === 'ms') return msSplit(r, seed);
  if (protocol === 'strong') return strongSplit(r, seed);
  return looSplit(r, seed);
}

/** A validation task carved from a task's training rows only, by the same protocol. */
export function validationOf(task: Task, seed: number): Task {
  return split(task.protocol, subsetRows(task.rows, task.train), seed);
}
