import type { ServingModel } from '../workspace-state.ts';
import type { HistoryPoint } from './history.ts';

/**
 * How much the non-personal trend adds to a personal score: it breaks near-ties and fills short lists,
 * and no more (the default model already carries a popularity prior). At 0.05 it reordered confident
 * personal lists and cost served accuracy on both validation splits (ML-100k nDCG@10 0.2712 against
 * 0.2721 at 0.01 and 0.2723 off; Taobao sample HR@10 0.0971 against 0.0995 off).
 */
export const TREND_BLEND = 0.01;
/**
 * How much of its personal score an item the person already looked at keeps, when the `seenDiscount`
 * stage is turned on (it is off by default: see `STAGES`).
 */
export const SEEN_DISCOUNT = 0.25;

/** The models one answer draws on, already loaded (the service fetches them; this stage only computes). */
export interface ScoringModels {
  /** The non-personal prior (trending), or null in a workspace with no events yet. */
  fallback: ServingModel | null;
  /** The person's model, or null without consent or history. */
  personal: ServingModel | null;
  /** A non-personal model asked for by name (popularity, trending), scored instead of the personal one. */
  generic: ServingModel | null;
  /** The item-to-item source for what is in view (item page, cart), or null. */
  itemToItem: ServingModel | null;
}

export interface CatalogScores {
  /** One score per catalogue item (NaN: no opinion). */
  scores: Float64Array;
  /** The trend share of each score. */
  trend: Float64Array;
  /** Per catalogue item, the index in `history` of the entry that explains it (-1: none). */
  because: Int32Array;
  /** How many items a personal source scored above zero. */
  personalHits: number;
}

export interface ScoreInput {
  history: readonly HistoryPoint[];
  /** Indices into `history` of the anchors the item-to-item source starts from. */
  anchors: readonly number[];
  catalogSize: number;
  /** Catalogue order fallback for a workspace without any model: newer items first. */
  updatedAt: (i: number) => number;
  /** Catalogue indices of items the person already looked at (discounted when `seenDiscount`). */
  seen: readonly number[];
  models: ScoringModels;
  trend: boolean;
  seenDiscount: boolean;
  now: number;
}

/**
 * Adds `scale ×` normalised model scores onto catalogue scores; returns how many items got a positive
 * score. With `strongerWins`, an item's explanation moves to this source only where it adds more.
 */
function addScores(
  target: Float64Array,
  m: ServingModel,
  s: Float32Array,
  scale: number,
  because?: Int32Array,
  becauseOut?: Int32Array,
  strongerWins = false,
): number {
  let max = 0;
  for (let k = 0; k < s.length; k++) if (s[k] > max) max = s[k];
  let hits = 0;
  for (let k = 0; k < s.length; k++) {
    const c = m.toCatalog[k];
    if (c < 0) continue;
    const v = max > 0 && s[k] > 0 ? (scale * s[k]) / max : 0;
    const before = Number.isNaN(target[c]) ? 0 : target[c];
    target[c] = before + v;
    if (v > 0) {
      hits++;
      if (because && becauseOut && because[k] >= 0 && (!strongerWins || becauseOut[c] < 0 || v > before)) becauseOut[c] = because[k];
    }
  }
  return hits;
}

/**
 * Candidates and scores: every catalogue item scored from the person's history by the personal model,
 * the item-to-item source for what is in view, and the trend prior. The one scoring path: the
 * recommendations route and the assistant both rank with it.
 */
export function scoreCatalog(inp: ScoreInput): CatalogScores {
  const { history, models, now } = inp;
  const scores = new Float64Array(inp.catalogSize).fill(Number.NaN);
  const because = new Int32Array(inp.catalogSize).fill(-1);
  let personalHits = 0;
  if (models.fallback) addScores(scores, models.fallback, models.fallback.recommender.score([], now).scores, inp.trend ? TREND_BLEND : 1e-6);
  else for (let i = 0; i < inp.catalogSize; i++) scores[i] = inp.updatedAt(i) / 1e15; // no events at all: newest first
  const trend = Float64Array.from(scores, (v) => (Number.isNaN(v) ? 0 : v));
  const { personal, itemToItem } = models;
  if (personal && history.length > 0) {
    const r = personal.recommender.score(
      history.map((h) => h.entry),
      now,
    );
    personalHits = addScores(scores, personal, r.scores, itemToItem ? 0.5 : 1, r.because, because);
  } else if (models.generic) {
    addScores(scores, models.generic, models.generic.recommender.score([], now).scores, 1);
  }
  if (itemToItem && inp.anchors.length) {
    const entries = inp.anchors.map((k) => ({ ...history[k].entry, item: itemToItem.modelIndex.get(history[k].itemId) ?? -1 }));
    const r = itemToItem.recommender.score(entries, now);
    const viaAnchor = r.because ? Int32Array.from(r.because, (a) => (a >= 0 ? inp.anchors[a] : -1)) : undefined;
    personalHits += addScores(scores, itemToItem, r.scores, 1, viaAnchor, because, true);
  }
  // Seen but not bought: still allowed, but after what the person has not seen yet.
  if (inp.seenDiscount) {
    for (const i of inp.seen) if (!Number.isNaN(scores[i])) scores[i] = trend[i] + (scores[i] - trend[i]) * SEEN_DISCOUNT;
  }
  return { scores, trend, because, personalHits };
}
