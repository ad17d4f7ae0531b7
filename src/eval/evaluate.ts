/**
 * Scores a fitted model on a task's cases through the public Recommender interface only: each case's
 * history goes to `score`, the history's items are removed, and the top of the rest is compared with
 * the relevant items.
 */
import { topK } from '../recommend/models/top-k.ts';
import type { Recommender } from '../recommend/models/types.ts';
import {
  averagePrecisionAt, cappedRecallAt, coverage, hitRateAt, ndcgAt, novelty, precisionAt, recallAt,
} from './metrics.ts';
import type { Protocol, Task } from './splits.ts';

export type Metrics = Record<string, number>;

/** The metrics reported per protocol, the first one being the one tuning maximises. */
export const METRICS: Record<Protocol, readonly string[]> = {
  ms: ['nDCG@10', 'MAP', 'P@10', 'R@10'],
  strong: ['NDCG@100', 'Recall@20', 'Recall@50'],
  loo: ['NDCG@10', 'HR@10'],
};
const DEPTH: Record<Protocol, number> = { ms: 10, strong: 100, loo: 10 };

export function evaluate(model: Recommender, task: Task, opts: { onProgress?: (f: number) => void } = {}): Metrics {
  const { protocol } = task;
  const depth = DEPTH[protocol];
  const sums: Record<string, number> = Object.fromEntries(METRICS[protocol].map((m) => [m, 0]));
  const lists: Int32Array[] = [];
  let n = 0;
  for (let c = 0; c < task.cases.length; c++) {
    const kase = task.cases[c];
    const seen = new Set(kase.history.map((h) => h.item));
    const rel = new Set(kase.relevant);
    const { scores } = model.score(kase.history, task.now);
    const ranked = topK(scores, depth, (i) => !seen.has(i));
    lists.push(ranked.subarray(0, 10));
    n++;
    if (protocol === 'ms') {
      sums['MAP'] += averagePrecisionAt(ranked, rel, 10);
      sums['nDCG@10'] += ndcgAt(ranked, rel, 10);
      sums['P@10'] += precisionAt(ranked, rel, 10);
      sums['R@10'] += recallAt(ranked, rel, 10);
    } else if (protocol === 'strong') {
      sums['Recall@20'] += cappedRecallAt(ranked, rel, 20);
      sums['Recall@50'] += cappedRecallAt(ranked, rel, 50);
      sums['NDCG@100'] += ndcgAt(ranked, rel, 100);
    } else {
      sums['HR@10'] += hitRateAt(ranked, rel, 10);
      sums['NDCG@10'] += ndcgAt(ranked, rel, 10);
    }
    if ((c & 63) === 0) opts.onProgress?.(c / task.cases.length);
  }
  const out: Metrics = {};
  for (const m of METRICS[protocol]) out[m] = n ? sums[m] / n : 0;
  // Beyond accuracy: catalog coverage and novelty of the top-10 lists.
  const itemUsers = new Float64Array(task.rows.nItems);
  const trainUsers = new Set<number>();
  for (const k of task.train) {
    itemUsers[task.rows.items[k]]++;
    trainUsers.add(task.rows.users[k]);
  }
  out['coverage'] = coverage(lists, task.rows.nItems);
  out['novelty'] = novelty(lists, itemUsers, trainUsers.size);
  opts.onProgress?.(1);
  return out;
}
