import { describe, expect, it } from 'vitest';
import { probabilityOf } from '../../src/predict/calibrated-model.ts';
import { buildEventLog, kindOfType, type LogRow, truncateLog } from '../../src/predict/event-log.ts';
import { churnRows, pairRows, predictPerson, trainPredictor, trainingCutoffs } from '../../src/predict/predictor.ts';
import { auc } from '../../src/eval/predict-metrics.ts';
import { DAY, plantedShop } from './planted-shop.ts';

const rowsOf = (shop: ReturnType<typeof plantedShop>): LogRow[] =>
  shop.events.map((e) => ({ person: e.person, category: e.category, kind: kindOfType(e.type)!, time: e.time, value: e.value }));

describe('the predictors on a shop with planted signals', () => {
  const shop = plantedShop(3);
  const log = buildEventLog(rowsOf(shop));
  const horizon = 14;
  const cutoff = shop.now - horizon * DAY;
  const state = trainPredictor(truncateLog(log, cutoff), { now: cutoff, horizonDays: horizon, seed: 1 });

  it('learns that returns and dislikes come before leaving, which recency alone cannot see', () => {
    const names = ['returns', 'return rate', 'dislikes'];
    const weights = state.churn.model.weights;
    const planted = Math.max(...names.map((n) => weights[CHURN_INDEX(n)]));
    expect(planted).toBeGreaterThan(0.3);
    // Among people seen in the last week, recency says little; the planted signal says who leaves next.
    const all = churnRows(log, cutoff, horizon * DAY);
    const recent = all.facts.map((f, i) => (f.recencyDays < 7 ? i : -1)).filter((i) => i >= 0);
    const y = recent.map((i) => all.y[i]);
    const model = recent.map((i) => probabilityOf(state.churn, all.x[i]));
    const recency = recent.map((i) => probabilityOf(state.baselines.churn, [all.x[i][0]]));
    expect(y.filter(Boolean).length).toBeGreaterThanOrEqual(4);
    expect(auc(model, y)).toBeGreaterThan(auc(recency, y) + 0.1);
  });

  it('expects the weekly coffee buyer back within about a week, and a re-buy soon when it is due', () => {
    const buyer = [...shop.coffee].find((p) => !shop.unhappy.has(p))!;
    const p = log.persons.indexOf(buyer);
    const last = Math.max(...shop.events.filter((e) => e.person === buyer && e.category === 'coffee' && e.time < cutoff).map((e) => e.time));
    const soon = predictPerson(state, log, p, last + 1, 3)!;
    const due = predictPerson(state, log, p, last + 7 * DAY, 3)!;
    const coffee = (x: typeof soon) => x.nextPurchases.find((n) => n.category === 'coffee')!;
    expect(coffee(soon).intervalDays).toBeGreaterThan(5.5);
    expect(coffee(soon).intervalDays).toBeLessThan(9);
    // The interval shown is rounded to a tenth of a day.
    expect(Math.abs(coffee(soon).expectedAt - (last + coffee(soon).intervalDays * DAY))).toBeLessThan(0.06 * DAY);
    expect(coffee(due).probability).toBeGreaterThan(coffee(soon).probability + 0.2);
    expect(coffee(due).factors[0].text).toMatch(/coffee/);
  });

  it('ranks the category a person buys in above the ones they only looked at', () => {
    const test = pairRows(log, cutoff, horizon * DAY, state.repurchase, state.popularity);
    const model = test.x.map((x) => probabilityOf(state.propensity, x));
    const recency = test.x.map((x) => probabilityOf(state.baselines.propensity, [x[0]]));
    expect(auc(model, test.y)).toBeGreaterThan(auc(recency, test.y));
    expect(auc(model, test.y)).toBeGreaterThan(0.8);
  });

  it('explains a figure with its top features in words, the strongest first', () => {
    const sad = [...shop.unhappy].map((u) => log.persons.indexOf(u)).find((p) => p >= 0 && predictPerson(state, log, p, cutoff, 7)!.churn.probability > 0.3)!;
    const out = predictPerson(state, log, sad, cutoff, 7)!;
    const f = out.churn.factors;
    expect(f.length).toBe(3);
    for (let k = 1; k < f.length; k++) expect(Math.abs(f[k - 1].weight)).toBeGreaterThanOrEqual(Math.abs(f[k].weight));
    for (const x of f) {
      expect(x.text.length).toBeGreaterThan(5);
      expect(x.effect).toBe(x.weight > 0 ? 'raises' : 'lowers');
    }
    expect(f.some((x) => /return|dislike|last active|since the last visit/.test(x.text))).toBe(true);
    expect(out.propensities.length).toBeGreaterThan(0);
    for (const p of out.propensities) {
      expect(p.factors.length).toBeGreaterThan(0);
      for (const x of p.factors.filter((x) => x.feature.startsWith('category'))) expect(x.text).toContain(p.category);
    }
  });

  it('is deterministic for a seed, and says so when there is too little history', () => {
    const again = trainPredictor(truncateLog(log, cutoff), { now: cutoff, horizonDays: horizon, seed: 1 });
    expect(again).toEqual(state);
    const short = truncateLog(log, log.first + 10 * DAY);
    expect(() => trainPredictor(short, { now: log.first + 10 * DAY, horizonDays: horizon })).toThrow(/at least 28 days/);
  });

  it('serves the figures the evaluation measures: a person at the cutoff, over the horizon', () => {
    const rows = churnRows(log, cutoff, horizon * DAY);
    const pairs = pairRows(log, cutoff, horizon * DAY, state.repurchase, state.popularity);
    for (const k of [0, 7, 42]) {
      const p = rows.person[k];
      const served = predictPerson(state, log, p, cutoff, horizon, 30)!;
      expect(served.churn.probability).toBe(probabilityOf(state.churn, rows.x[k]));
      for (const q of served.propensities) {
        const i = pairs.person.findIndex((x, j) => x === p && log.categories[pairs.category[j]] === q.category);
        expect(q.probability).toBeCloseTo(probabilityOf(state.propensity, pairs.x[i]), 12);
      }
      for (const n of served.nextPurchases) {
        const i = pairs.person.findIndex((x, j) => x === p && log.categories[pairs.category[j]] === n.category);
        expect(n.probability).toBeCloseTo(probabilityOf(state.nextPurchase, pairs.nextX[i]!), 12);
      }
    }
  });

  it('steps its training cutoffs back from one horizon before now', () => {
    expect(trainingCutoffs(0, 100 * DAY, 14 * DAY, 6)).toEqual([86, 79, 72, 65, 58, 51].map((d) => d * DAY));
    expect(trainingCutoffs(0, 30 * DAY, 14 * DAY, 6)).toEqual([16 * DAY]);
  });
});

import { CHURN_FEATURES } from '../../src/predict/person-features.ts';
function CHURN_INDEX(name: string): number {
  const k = CHURN_FEATURES.findIndex((f) => f.name === name);
  if (k < 0) throw new Error(`no feature ${name}`);
  return k;
}
