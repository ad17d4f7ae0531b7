import { Popularity } from '../recommend/models/popularity.ts';
import type { HistoryEntry, ScoreResult } from '../recommend/models/types.ts';

/**
 * "Buy again, then popular": the person's own items first (most often bought, then most recently),
 * then the most popular. The baseline a shop living on re-buys is measured against. Under protocols
 * that leave the history out of the list (ms, strong, loo) it is plain popularity; the last-purchase
 * protocol (`purchases.ts`) keeps what was bought in the list.
 */
export class BuyAgain extends Popularity {
  override readonly name = 'buy-again';

  override score(history: readonly HistoryEntry[], now: number): ScoreResult {
    const base = super.score(history, now).scores;
    let max = 0;
    for (const c of base) if (c > max) max = c;
    const scores = Float32Array.from(base, (c) => (max > 0 ? (0.5 * c) / max : 0)); // popularity stays below 1
    const count = new Map<number, number>();
    const last = new Map<number, number>();
    let latest = 0;
    for (const h of history) {
      count.set(h.item, (count.get(h.item) ?? 0) + 1);
      last.set(h.item, Math.max(last.get(h.item) ?? 0, h.time));
      latest = Math.max(latest, h.time);
    }
    for (const [item, c] of count) scores[item] = 1 + c + (latest > 0 ? 0.5 * (last.get(item)! / latest) : 0);
    return { scores };
  }
}
