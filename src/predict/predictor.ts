/**
 * Training and applying the three predictors on one history. Training is a time split repeated at
 * a few past cutoffs: features from the events before each cutoff, labels from the horizon after it
 * (churn: no activity at all; next purchase and propensity: a purchase in the category). Everything
 * here is pure and seeded: the same log, options and seed give the same state.
 */
import type { EventLog } from './event-log.ts';
import { activeIn, categoriesBought, categoryFacts } from './category-facts.ts';
import { type CalibratedModel, type CalibrationMethod, fitCalibrated, probabilityOf, selectColumns } from './calibrated-model.ts';
import { contributions, type Matrix } from './logistic.ts';
import { CATEGORY_RECENCY_FEATURE, NEXT_FEATURES, nextRow, PAIR_FEATURES, type PairContext, pairRow } from './pair-features.ts';
import { CHURN_FEATURES, churnRow, DAY_MS, type PersonFacts, personFacts, RECENCY_FEATURE } from './person-features.ts';
import { learnRepurchase, type NextPurchase, nextPurchase, rebuyChance, type RepurchaseModel } from './repurchase.ts';

export const PREDICTOR_VERSION = 1;

export interface PredictorOptions {
  /** The end of the history to learn from (epoch ms): labels never look past it. */
  now: number;
  /** The horizon of every figure (days); default from the history's span (a quarter, 1 to 30 days). */
  horizonDays?: number;
  seed?: number;
  /** How many past cutoffs to stack (default 6). */
  snapshots?: number;
  calibration?: CalibrationMethod;
  l2?: number;
}

/** Everything the predictors learnt; JSON, so it is stored as a blob and shared by every node. */
export interface PredictorState {
  version: number;
  trainedAt: number;
  horizonDays: number;
  cutoffs: number[];
  churn: CalibratedModel;
  nextPurchase: CalibratedModel;
  propensity: CalibratedModel;
  /** Recency alone, calibrated the same way: the naive baselines the evaluation compares against. */
  baselines: { churn: CalibratedModel; nextPurchase: CalibratedModel; propensity: CalibratedModel };
  repurchase: RepurchaseModel;
  popularity: Popularity;
}

export interface Popularity {
  purchases: number;
  categories: Record<string, number>;
}

/** Too little history to learn from: no past cutoff leaves room for a horizon of labels. */
export class NotEnoughHistoryError extends Error {
  override readonly name = 'NotEnoughHistoryError';
}

/** A quarter of the history's span, in whole days from 1 to 30. */
export function autoHorizonDays(first: number, last: number): number {
  return Math.min(30, Math.max(1, Math.round((last - first) / DAY_MS / 4)));
}

/** The most recently touched categories a person is scored in (bounds the work per person). */
export const MAX_CATEGORIES_PER_PERSON = 30;

export interface ChurnRows {
  x: number[][];
  y: number[];
  person: number[];
  facts: PersonFacts[];
}

/** One row per person with history before the cutoff; label 1 when they did nothing in the horizon after it. */
export function churnRows(log: EventLog, cutoff: number, horizonMs: number): ChurnRows {
  const out: ChurnRows = { x: [], y: [], person: [], facts: [] };
  for (let p = 0; p < log.persons.length; p++) {
    const f = personFacts(log, p, cutoff, horizonMs);
    if (!f) continue;
    out.x.push(churnRow(f));
    out.y.push(activeIn(log, p, cutoff, cutoff + horizonMs) ? 0 : 1);
    out.person.push(p);
    out.facts.push(f);
  }
  return out;
}

export interface PairRows {
  /** Propensity features. */
  x: number[][];
  /** Next-purchase features, null where the person never bought in the category. */
  nextX: Array<number[] | null>;
  /** Days since the last purchase in the category (NaN if none): next purchase's baseline. */
  sincePurchase: number[];
  y: number[];
  person: number[];
  category: number[];
  next: Array<NextPurchase | null>;
  contexts: PairContext[];
}

/** Popularity of each category among purchases before the cutoff. */
export function popularityAt(log: EventLog, cutoff: number): Popularity {
  const categories: Record<string, number> = {};
  let purchases = 0;
  for (let p = 0; p < log.persons.length; p++)
    for (const c of categoriesBought(log, p, Number.NEGATIVE_INFINITY, cutoff)) {
      categories[log.categories[c]] = (categories[log.categories[c]] ?? 0) + 1;
      purchases++;
    }
  return { purchases, categories };
}

/** The smoothed share of purchases a category takes. */
export function popularityOf(pop: Popularity, category: string): number {
  const n = Object.keys(pop.categories).length + 1;
  return ((pop.categories[category] ?? 0) + 1) / (pop.purchases + n);
}

/**
 * One row per person and category they touched before the cutoff (their most recent categories);
 * label 1 when they bought in it within the horizon after. `persons` limits the rows to some people.
 */
export function pairRows(log: EventLog, cutoff: number, horizonMs: number, repurchase: RepurchaseModel, pop: Popularity, persons?: Iterable<number>): PairRows {
  const out: PairRows = { x: [], nextX: [], sincePurchase: [], y: [], person: [], category: [], next: [], contexts: [] };
  for (const p of persons ?? log.persons.keys()) {
    const person = personFacts(log, p, cutoff, horizonMs);
    if (!person) continue;
    const { pairs, total } = categoryFacts(log, p, cutoff, horizonMs);
    pairs.sort((a, b) => b.lastTouch - a.lastTouch || a.category - b.category);
    const bought = categoriesBought(log, p, cutoff, cutoff + horizonMs);
    for (const pair of pairs.slice(0, MAX_CATEGORIES_PER_PERSON)) {
      const name = log.categories[pair.category];
      const next = pair.purchases.length ? nextPurchase(repurchase, name, pair.purchases) : null;
      const rebuy = next ? rebuyChance(next, cutoff, horizonMs) : null;
      const ctx: PairContext = { pair, total, person, cutoff, popularity: popularityOf(pop, name), rebuy, next, categoryName: name };
      out.x.push(pairRow(ctx));
      out.nextX.push(next ? nextRow(ctx) : null);
      out.sincePurchase.push(next ? (cutoff - next.lastPurchase) / DAY_MS : Number.NaN);
      out.y.push(bought.has(pair.category) ? 1 : 0);
      out.person.push(p);
      out.category.push(pair.category);
      out.next.push(next);
      out.contexts.push(ctx);
    }
  }
  return out;
}

const toMatrix = (rows: number[][], cols: number): Matrix => {
  const data = new Float64Array(rows.length * cols);
  for (let i = 0; i < rows.length; i++) data.set(rows[i], i * cols);
  return { data, rows: rows.length, cols };
};

/** The past cutoffs to learn from: the latest one horizon before now, each with at least one horizon of history before it. */
export function trainingCutoffs(first: number, now: number, horizonMs: number, snapshots: number): number[] {
  const out: number[] = [];
  // Half a horizon apart (at least a day): a short history still gives a few snapshots to learn from.
  const step = Math.max(DAY_MS, Math.round(horizonMs / 2 / DAY_MS) * DAY_MS);
  for (let k = 0; k < snapshots; k++) {
    const c = now - horizonMs - k * step;
    if (c - horizonMs < first) break;
    out.push(c);
  }
  return out;
}

/** Trains the churn, next-purchase and propensity predictors (and the recency baselines) on a history. */
export function trainPredictor(log: EventLog, opts: PredictorOptions): PredictorState {
  const horizonDays = opts.horizonDays ?? autoHorizonDays(log.first, Math.min(log.last, opts.now));
  const h = horizonDays * DAY_MS;
  const seed = opts.seed ?? 42;
  const cutoffs = trainingCutoffs(log.first, opts.now, h, opts.snapshots ?? 6);
  if (cutoffs.length === 0 || log.persons.length === 0)
    throw new NotEnoughHistoryError(`need at least ${2 * horizonDays} days of history to learn ${horizonDays}-day predictions`);
  const churn: ChurnRows = { x: [], y: [], person: [], facts: [] };
  const pairs: { x: number[][]; y: number[]; person: number[]; nextX: number[][]; since: number[]; nextY: number[]; nextPerson: number[] } = {
    x: [],
    y: [],
    person: [],
    nextX: [],
    since: [],
    nextY: [],
    nextPerson: [],
  };
  const latest = { churn: [] as number[], pairs: [] as number[], next: [] as number[] };
  for (const c of cutoffs) {
    const isLatest = c === cutoffs[0] ? 1 : 0;
    const cr = churnRows(log, c, h);
    for (const _ of cr.y) latest.churn.push(isLatest);
    churn.x.push(...cr.x);
    churn.y.push(...cr.y);
    churn.person.push(...cr.person);
    // The rhythms and popularity the rows use are learnt from before the cutoff only, as at serving.
    const pr = pairRows(log, c, h, learnRepurchase(log, c, h), popularityAt(log, c));
    for (const _ of pr.y) latest.pairs.push(isLatest);
    pairs.x.push(...pr.x);
    pairs.y.push(...pr.y);
    pairs.person.push(...pr.person);
    pr.nextX.forEach((r, i) => {
      if (!r) return;
      pairs.nextX.push(r);
      pairs.since.push(Math.log1p(pr.sincePurchase[i]));
      pairs.nextY.push(pr.y[i]);
      pairs.nextPerson.push(pr.person[i]);
      latest.next.push(isLatest);
    });
  }
  const fitRows = (x: Matrix, y: number[], person: number[], calibrateOn: number[]) =>
    fitCalibrated(x, Uint8Array.from(y), Int32Array.from(person), {
      seed,
      l2: opts.l2,
      calibration: opts.calibration,
      calibrateOn: Uint8Array.from(calibrateOn),
    });
  const churnX = toMatrix(churn.x, CHURN_FEATURES.length);
  const pairX = toMatrix(pairs.x, PAIR_FEATURES.length);
  const sinceX = toMatrix(
    pairs.since.map((s) => [s]),
    1,
  );
  return {
    version: PREDICTOR_VERSION,
    trainedAt: opts.now,
    horizonDays,
    cutoffs,
    churn: fitRows(churnX, churn.y, churn.person, latest.churn),
    nextPurchase: fitRows(toMatrix(pairs.nextX, NEXT_FEATURES.length), pairs.nextY, pairs.nextPerson, latest.next),
    propensity: fitRows(pairX, pairs.y, pairs.person, latest.pairs),
    baselines: {
      churn: fitRows(selectColumns(churnX, [RECENCY_FEATURE]), churn.y, churn.person, latest.churn),
      nextPurchase: fitRows(sinceX, pairs.nextY, pairs.nextPerson, latest.next),
      propensity: fitRows(selectColumns(pairX, [CATEGORY_RECENCY_FEATURE]), pairs.y, pairs.person, latest.pairs),
    },
    repurchase: learnRepurchase(log, opts.now, h),
    popularity: popularityAt(log, opts.now),
  };
}

/** One feature's part in a figure, in words. */
export interface Factor {
  feature: string;
  text: string;
  effect: 'raises' | 'lowers';
  /** Its share of the log-odds against the average person (signed). */
  weight: number;
}

export interface ChurnPrediction {
  /** The probability of no activity at all in the next `horizonDays`. */
  probability: number;
  horizonDays: number;
  factors: Factor[];
}

export interface NextPurchasePrediction {
  category: string;
  expectedAt: number;
  /** Days from now to the expected purchase (negative: overdue). */
  daysUntil: number;
  intervalDays: number;
  /** The probability of a purchase in the category within the asked days (see withinDays). */
  probability: number;
  factors: Factor[];
}

export interface PropensityPrediction {
  category: string;
  probability: number;
  factors: Factor[];
}

export interface PersonPredictions {
  churn: ChurnPrediction;
  nextPurchases: NextPurchasePrediction[];
  propensities: PropensityPrediction[];
  /** The window the next-purchase and propensity probabilities are for. */
  days: number;
}

/** From a probability over the model's horizon to one over `days`, at a constant hazard. */
export function overDays(pHorizon: number, horizonDays: number, days: number): number {
  return 1 - (1 - pHorizon) ** (days / horizonDays);
}

/**
 * A next-purchase probability over `days`: the model says how likely a re-buy is within its horizon,
 * the person's rhythm says when within it (a weekly buyer who bought yesterday is unlikely to buy in
 * the next three days, likely in the three after). Past the horizon, at a constant hazard.
 */
export function withinDays(pHorizon: number, next: NextPurchase, now: number, horizonDays: number, days: number): number {
  if (days >= horizonDays) return overDays(pHorizon, horizonDays, days);
  const share = rebuyChance(next, now, days * DAY_MS) / rebuyChance(next, now, horizonDays * DAY_MS);
  return pHorizon * Math.min(1, share);
}

const TOP_FACTORS = 3;

function topFactors(weights: number[], words: (k: number) => string, names: (k: number) => string): Factor[] {
  return weights
    .map((w, k) => ({ w, k }))
    .filter((c) => Math.abs(c.w) > 1e-6)
    .sort((a, b) => Math.abs(b.w) - Math.abs(a.w) || a.k - b.k)
    .slice(0, TOP_FACTORS)
    .map(({ w, k }) => ({ feature: names(k), text: words(k), effect: w > 0 ? 'raises' : 'lowers', weight: Math.round(w * 1000) / 1000 }));
}

/**
 * Person p's figures at `now` from their events in the log (only those before `now` count): churn
 * risk, the next purchase per category they bought in, and the categories they are most likely to
 * buy in within `days`. Null when the person has no event before `now`.
 */
export function predictPerson(s: PredictorState, log: EventLog, p: number, now: number, days: number, top = 5): PersonPredictions | null {
  const h = s.horizonDays * DAY_MS;
  const facts = personFacts(log, p, now, h);
  if (!facts) return null;
  const row = churnRow(facts);
  const churn: ChurnPrediction = {
    probability: probabilityOf(s.churn, row),
    horizonDays: s.horizonDays,
    factors: topFactors(
      contributions(s.churn.model, row),
      (k) => CHURN_FEATURES[k].words(facts, s.horizonDays),
      (k) => CHURN_FEATURES[k].name,
    ),
  };
  const pr = pairRows(log, now, h, s.repurchase, s.popularity, [p]);
  const nextPurchases: NextPurchasePrediction[] = [];
  const propensities: PropensityPrediction[] = [];
  pr.x.forEach((x, i) => {
    const ctx = pr.contexts[i];
    propensities.push({
      category: ctx.categoryName,
      probability: overDays(probabilityOf(s.propensity, x), s.horizonDays, days),
      factors: topFactors(
        contributions(s.propensity.model, x),
        (k) => PAIR_FEATURES[k].words(ctx, s.horizonDays),
        (k) => PAIR_FEATURES[k].name,
      ),
    });
    const nx = pr.nextX[i];
    const next = pr.next[i];
    if (!nx || !next) return;
    const r = (v: number) => Math.round(v * 10) / 10;
    nextPurchases.push({
      category: ctx.categoryName,
      expectedAt: next.expectedAt,
      daysUntil: r((next.expectedAt - now) / DAY_MS),
      intervalDays: r(next.intervalDays),
      probability: withinDays(probabilityOf(s.nextPurchase, nx), next, now, s.horizonDays, days),
      factors: topFactors(
        contributions(s.nextPurchase.model, nx),
        (k) => NEXT_FEATURES[k].words(ctx, s.horizonDays),
        (k) => NEXT_FEATURES[k].name,
      ),
    });
  });
  propensities.sort((a, b) => b.probability - a.probability || a.category.localeCompare(b.category));
  nextPurchases.sort((a, b) => a.expectedAt - b.expectedAt || a.category.localeCompare(b.category));
  return { churn, nextPurchases: nextPurchases.slice(0, top), propensities: propensities.slice(0, top), days };
}
