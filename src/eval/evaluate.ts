/**
 * Scores a fitted model on a task's cases through the public Recommender interface only: each case's
 * history goes to `score`, the history's items are removed, and the top of the rest is compared with
 * the relevant items.
 */
import { topK } from '../recommend/models/top-k.ts';
import type { Recommender } from '../recommend/models/types.ts';
import { averagePrecisionAt, cappedRecallAt, coverage, hitRateAt, ndcgAt, novelty, precisionAt, recallAt } from './metrics.ts';
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
  const depth = DEPTH[task.protocol];
  const ranked: Int32Array[] = [];
  for (let c = 0; c < task.cases.length; c++) {
    const kase = task.cases[c];
    const seen = new Set(kase.history.map((h) => h.item));
    const { scores } = model.score(kase.history, task.now);
    ranked.push(topK(scores, depth, (i) => !seen.has(i)));
    if ((c & 63) === 0) opts.onProgress?.(c / task.cases.length);
  }
  opts.onProgress?.(1);
  return scoreLists(task, ranked);
}

/** How long a list each protocol needs: top-10, or top-100 for strong generalisation's NDCG@100. */
export function depthOf(protocol: Protocol): number {
  return DEPTH[protocol];
}

/**
 * The protocol's metrics over one ranked list per case (item indices, best first, at least the
 * protocol's depth long where possible), plus coverage and novelty of the top-10 lists. Shared by the
 * model-only and the served evaluation, so both are measured alike.
 */
export function scoreLists(task: Task, ranked: readonly Int32Array[]): Metrics {
  const { protocol } = task;
  const sums: Record<string, number> = Object.fromEntries(METRICS[protocol].map((m) => [m, 0]));
  const lists: Int32Array[] = [];
  let n = 0;
  for (let c = 0; c < task.cases.length; c++) {
    const list = ranked[c];
    const rel = new Set(task.cases[c].relevant);
    lists.push(list.subarray(0, 10));
    n++;
    if (protocol === 'ms') {
      sums['MAP'] += averagePrecisionAt(list, rel, 10);
      sums['nDCG@10'] += ndcgAt(list, rel, 10);
      sums['P@10'] += precisionAt(list, rel, 10);
      sums['R@10'] += recallAt(list, rel, 10);
    } else if (protocol === 'strong') {
      sums['Recall@20'] += cappedRecallAt(list, rel, 20);
      sums['Recall@50'] += cappedRecallAt(list, rel, 50);
      sums['NDCG@100'] += ndcgAt(list, rel, 100);
    } else {
      sums['HR@10'] += hitRateAt(list, rel, 10);
      sums['NDCG@10'] += ndcgAt(list, rel, 10);
    }
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
  return out;
}
