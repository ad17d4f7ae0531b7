/**
 * Next purchase: when a person is expected to buy again in a category. Repurchase intervals are
 * modelled as a gamma distribution per category (shape from the category's intervals, typical
 * interval from their geometric mean), and each person's typical interval is their own, shrunk
 * toward the category's by pseudo-intervals: one purchase says little, ten say much. The chance of
 * buying within a window, given the time already elapsed, is the gamma's conditional probability,
 * scaled by how likely the person is to re-buy in that category at all.
 */
import { lowerGamma } from '../stats/distributions.ts';
import { categoryFacts } from './category-facts.ts';
import { DAY_MS } from './person-features.ts';
import type { EventLog } from './event-log.ts';

/** What the shop's history says about re-buying in one category (or in the whole shop). */
export interface RepurchasePrior {
  /** Mean of the log intervals (log days): exp of it is the typical interval. */
  logMean: number;
  /** The gamma shape: below 1, re-buys come soon or never; above 1, on a rhythm. */
  shape: number;
  /** The share of the category's buyers who bought in it again. */
  repeatRate: number;
  intervals: number;
  buyers: number;
}

export interface RepurchaseModel {
  global: RepurchasePrior;
  categories: Record<string, RepurchasePrior>;
}

/** Pseudo-intervals of the category's typical interval added to each person's own. */
export const PERSON_PSEUDO_INTERVALS = 2;
/** Pseudo-intervals (and pseudo-buyers) of the whole shop added to each category's. */
const CATEGORY_PSEUDO = 5;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

interface Sums {
  n: number;
  logSum: number;
  sum: number;
  sumSq: number;
  buyers: number;
  repeaters: number;
}
const empty = (): Sums => ({ n: 0, logSum: 0, sum: 0, sumSq: 0, buyers: 0, repeaters: 0 });

/** Learns the priors from every purchase before `cutoff`. */
export function learnRepurchase(log: EventLog, cutoff: number, horizonMs: number): RepurchaseModel {
  const perCat = new Map<number, Sums>();
  const all = empty();
  for (let p = 0; p < log.persons.length; p++) {
    for (const f of categoryFacts(log, p, cutoff, horizonMs).pairs) {
      if (f.purchases.length === 0) continue;
      let s = perCat.get(f.category);
      if (!s) perCat.set(f.category, (s = empty()));
      for (const acc of [s, all]) {
        acc.buyers++;
        if (f.purchases.length > 1) acc.repeaters++;
        for (let k = 1; k < f.purchases.length; k++) {
          const d = Math.max(0.5, (f.purchases[k] - f.purchases[k - 1]) / DAY_MS);
          acc.n++;
          acc.logSum += Math.log(d);
          acc.sum += d;
          acc.sumSq += d * d;
        }
      }
    }
  }
  const spanDays = Math.max(1, (cutoff - log.first) / DAY_MS);
  const global: RepurchasePrior = {
    // With no re-buy seen at all, the typical interval is taken as the span of the history.
    logMean: all.n ? all.logSum / all.n : Math.log(spanDays),
    shape: shapeOf(all, 1),
    repeatRate: (all.repeaters + 0.5) / (all.buyers + 1),
    intervals: all.n,
    buyers: all.buyers,
  };
  const categories: Record<string, RepurchasePrior> = {};
  for (const [c, s] of perCat) {
    categories[log.categories[c]] = {
      logMean: (s.logSum + CATEGORY_PSEUDO * global.logMean) / (s.n + CATEGORY_PSEUDO),
      shape: (s.n * shapeOf(s, global.shape) + CATEGORY_PSEUDO * global.shape) / (s.n + CATEGORY_PSEUDO),
      repeatRate: (s.repeaters + CATEGORY_PSEUDO * global.repeatRate) / (s.buyers + CATEGORY_PSEUDO),
      intervals: s.n,
      buyers: s.buyers,
    };
  }
  return { global, categories };
}

/** Gamma shape by moments (mean² / variance), kept in a sane range; `fallback` with under two intervals. */
function shapeOf(s: Sums, fallback: number): number {
  if (s.n < 2) return fallback;
  const mean = s.sum / s.n;
  const variance = s.sumSq / s.n - mean * mean;
  return variance > 1e-9 ? clamp((mean * mean) / variance, 0.3, 20) : 20;
}

/** A person's expected next purchase in one category. */
export interface NextPurchase {
  /** The person's own intervals in the category. */
  ownIntervals: number;
  /** Their mean own interval (days), or null with none. */
  ownDays: number | null;
  /** The category's typical interval (days). */
  categoryDays: number;
  /** The shrunk typical interval (days). */
  intervalDays: number;
  lastPurchase: number;
  expectedAt: number;
  /** The chance of re-buying in the category at all (person's evidence shrunk to the category's rate). */
  repeatChance: number;
  shape: number;
}

/** The expected next purchase from purchase occasions (oldest first; at least one). */
export function nextPurchase(model: RepurchaseModel, category: string, purchases: readonly number[]): NextPurchase {
  const prior = model.categories[category] ?? model.global;
  let logSum = 0;
  let sum = 0;
  const own = purchases.length - 1;
  for (let k = 1; k < purchases.length; k++) {
    const d = Math.max(0.5, (purchases[k] - purchases[k - 1]) / DAY_MS);
    logSum += Math.log(d);
    sum += d;
  }
  const k = PERSON_PSEUDO_INTERVALS;
  const intervalDays = Math.exp((logSum + k * prior.logMean) / (own + k));
  const last = purchases[purchases.length - 1];
  return {
    ownIntervals: own,
    ownDays: own > 0 ? sum / own : null,
    categoryDays: Math.exp(prior.logMean),
    intervalDays,
    lastPurchase: last,
    expectedAt: last + intervalDays * DAY_MS,
    repeatChance: (own + k * prior.repeatRate) / (own + k),
    shape: prior.shape,
  };
}

/** The uncalibrated chance of buying again in [at, at + windowMs), given no re-buy since the last purchase. */
export function rebuyChance(n: NextPurchase, at: number, windowMs: number): number {
  const theta = n.intervalDays / n.shape;
  const t = Math.max(0, (at - n.lastPurchase) / DAY_MS);
  const w = windowMs / DAY_MS;
  const before = lowerGamma(n.shape, t / theta);
  const by = lowerGamma(n.shape, (t + w) / theta);
  const cond = before >= 1 - 1e-12 ? 1 - Math.exp(-w / n.intervalDays) : (by - before) / (1 - before);
  return clamp(n.repeatChance * cond, 1e-6, 1 - 1e-6);
}
