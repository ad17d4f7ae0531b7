/**
 * What the switch to the scalable EASE costs in quality. Past the dense cap, EASE used to model only
 * the head (tail items: no opinion); now the tail gets an item-kNN on EASE's scale (see
 * src/recommend/models/ease-scaled.ts). Side by side, fitted on the test split of seed 1 (nothing is
 * chosen here, so no validation split is needed):
 *
 * - ML-100k (1,682 items, ms protocol): the dense cap forced down to `--head` items, against EASE on
 *   every item;
 * - the Taobao sample (55k items, loo by time): the shipped cap of 5,000 (all items cannot fit), or
 *   `--taobao-head` (5,000 takes a while: two EASE inversions and two hybrids).
 *
 * For each: EASE dense (ML only), EASE head only, EASE head + kNN tail, item-kNN alone, and the
 * served default (hybrid) with the old and the new EASE member. Prints one JSON line.
 *
 *   node bin/run-ts.mjs bench/easetail.ts [--head 400] [--taobao-head 5000] [--seed 1] [--skip-ml] [--skip-taobao]
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { loadDataset, type Dataset } from '../src/eval/datasets.ts';
import { evaluate, type Metrics } from '../src/eval/evaluate.ts';
import { positiveRows, split, toInteractions, type Protocol } from '../src/eval/splits.ts';
import { Als } from '../src/recommend/models/als.ts';
import { Ease } from '../src/recommend/models/ease.ts';
import { ScaledEase } from '../src/recommend/models/ease-scaled.ts';
import { Ensemble } from '../src/recommend/models/ensemble.ts';
import { Hybrid } from '../src/recommend/models/hybrid.ts';
import { ItemKnn } from '../src/recommend/models/itemknn.ts';
import type { Recommender } from '../src/recommend/models/types.ts';
import { emit, log, main, parseArgs, round } from './lib.ts';

const opts = parseArgs({ head: 400, taobaoHead: 5000, seed: 1, skipMl: false, skipTaobao: false });
const DATA = process.env.AFIN_SHARED_DATA ?? fileURLToPath(new URL('../../shared/data', import.meta.url));
const DENSE = 1e12;

/** The served default's shape (registry.ts) with a chosen collaborative EASE member. */
function hybrid(ease: Recommender, ds: Dataset): Recommender {
  const h = new Hybrid(new Ensemble([ease, new Als({ factors: 128, regularization: 50, alpha: 10 })], [0.2, 0.8]));
  h.fitText(ds.itemIds.map((_, i) => ds.docs?.[i] ?? null));
  return h;
}

function compare(ds: Dataset, protocol: Protocol, head: number, withDense: boolean): Record<string, unknown> {
  const task = split(protocol, positiveRows(ds), opts.seed);
  const train = toInteractions(task.rows, task.train);
  const models: Array<[string, () => Recommender]> = [
    ...(withDense ? ([['easeDense', () => new Ease({ maxItems: 1e7, memoryBytes: DENSE })]] as Array<[string, () => Recommender]>) : []),
    ['easeHeadOnly', () => new Ease({ maxItems: head, memoryBytes: DENSE })],
    ['easeHeadKnnTail', () => new ScaledEase({ maxItems: head, memoryBytes: DENSE })],
    ['itemknn', () => new ItemKnn()],
    ['defaultOldHeadOnly', () => hybrid(new Ease({ signal: 'log', maxItems: head, memoryBytes: DENSE }), ds)],
    ['defaultNew', () => hybrid(new ScaledEase({ signal: 'log', maxItems: head, memoryBytes: DENSE }), ds)],
  ];
  const out: Record<string, Metrics & { seconds: number }> = {};
  for (const [name, make] of models) {
    const t = performance.now();
    const m = make();
    m.fit(train, { seed: opts.seed });
    const metrics = evaluate(m, task);
    out[name] = { ...Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, round(v, 4)])), seconds: round((performance.now() - t) / 1000, 1) };
    log(`${ds.name} ${name}: ${JSON.stringify(out[name])}`);
  }
  return { dataset: ds.name, protocol, items: ds.itemIds.length, users: ds.userIds.length, rows: ds.users.length, head, seed: opts.seed, models: out };
}

await main(async () => {
  const results: Record<string, unknown>[] = [];
  const ml = join(DATA, 'movielens-100k');
  if (opts.skipMl) log('ML-100k skipped');
  else if (existsSync(ml)) results.push(compare(await loadDataset('movielens-100k', ml), 'ms', opts.head, true));
  else log(`no ${ml}: ML-100k skipped`);
  const tb = join(DATA, 'ecommerce-taobao-userbehavior-sample/UserBehavior_head.csv');
  if (!opts.skipTaobao && existsSync(tb)) results.push(compare(await loadDataset('csv', tb), 'loo', opts.taobaoHead, false));
  emit({ bench: 'easetail', results });
  return 0;
});
