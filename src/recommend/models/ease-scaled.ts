/**
 * EASE for a catalogue of any size. While every active item fits the dense matrices (see
 * `planBySize`) this is plain EASE and saves as one. Beyond that, EASE models the head (the most
 * active items) and a sparse item-kNN stands in for the blocks of B that EASE could not hold: the
 * votes from tail items and the votes for tail items. Its cosine similarities are put on EASE's
 * scale by one factor c, the least-squares slope of B[a, b] on sim(a, b) over head pairs both
 * models know, so for a history h:
 *
 *   head item j:  Σ_{h in head} B[h, j] + c · Σ_{h in tail} sim(h, j)
 *   tail item j:  c · Σ_h sim(h, j)        (no kNN evidence: no opinion)
 *
 * Memory and time grow with the head's square and the kNN's items × neighbours, not items².
 */
import { applySignal, signalCsr, userItemCsr } from './common.ts';
import { EASE_DEFAULTS, Ease, type EaseOptions } from './ease.ts';
import { ItemKnn } from './itemknn.ts';
import { pack, unpackModel } from './pack.ts';
import { planBySize, trainingMemoryBudget, type SizePlan } from './size-plan.ts';
import { NotEnoughDataError, type FitOptions, type HistoryEntry, type Interactions, type Recommender, type ScoreResult } from './types.ts';

export interface ScaledEaseOptions extends EaseOptions {
  /** Neighbours per item in the tail's item-kNN. */
  neighbors: number;
  /** Cosine shrinkage of the tail's item-kNN. */
  shrink: number;
}

/** `maxItems` bounds the dense part (the inversion's time); `memoryBytes` 0 takes `trainingMemoryBudget()`. */
export const SCALED_EASE_DEFAULTS: ScaledEaseOptions = { ...EASE_DEFAULTS, neighbors: 100, shrink: 10 };

/** Head pairs sampled to fit the scale factor c (rows of B read: at most this many). */
const CALIBRATION_ROWS = 1000;

export class ScaledEase implements Recommender {
  readonly name = 'ease';
  readonly options: ScaledEaseOptions;
  /** What the last fit chose (null before fitting and after loading a saved dense EASE). */
  plan: SizePlan | null = null;
  private ease: Ease;
  private knn: ItemKnn | null = null;
  /** Per item: 1 if EASE models it. */
  private head: Uint8Array = new Uint8Array(0);
  /** kNN similarity → EASE weight. */
  private c = 0;

  constructor(options: Partial<ScaledEaseOptions> = {}) {
    this.options = { ...SCALED_EASE_DEFAULTS, ...options };
    if (!(Number.isInteger(this.options.neighbors) && this.options.neighbors >= 1)) throw new RangeError('neighbors must be a positive integer');
    this.ease = new Ease(this.easeOptions(this.options.maxItems, 1));
  }

  /** The scale factor of the tail's similarities (0 when all items are dense). */
  get tailScale(): number {
    return this.c;
  }

  private easeOptions(maxItems: number, memoryBytes: number): EaseOptions {
    const { neighbors: _n, shrink: _s, ...ease } = this.options;
    return { ...ease, maxItems, memoryBytes };
  }

  fit(data: Interactions, opts: FitOptions = {}): void {
    const progress = opts.onProgress ?? (() => {});
    const activity = activeUsersPerItem(data, this.options);
    let active = 0;
    for (let i = 0; i < activity.length; i++) if (activity[i] > 0) active++;
    if (active === 0) throw new NotEnoughDataError('EASE needs at least one positive interaction');
    const budget = this.options.memoryBytes > 0 ? this.options.memoryBytes : trainingMemoryBudget();
    const plan = planBySize(active, budget, this.options.maxItems);
    // A huge budget here: the plan already bounded the head by memory.
    const ease = new Ease(this.easeOptions(Math.max(1, plan.head), Number.MAX_SAFE_INTEGER));
    if (plan.model === 'ease') {
      ease.fit(data, opts);
      this.ease = ease;
      this.knn = null;
      this.head = new Uint8Array(0);
      this.c = 0;
      this.plan = plan;
      return;
    }
    ease.fit(data, { ...opts, onProgress: (f) => progress(0.7 * f) });
    const knn = new ItemKnn({
      similarity: 'cosine',
      neighbors: this.options.neighbors,
      shrink: this.options.shrink,
      signal: this.options.signal,
      historyHalfLifeDays: this.options.historyHalfLifeDays,
    });
    knn.fit(data, { ...opts, onProgress: (f) => progress(0.7 + 0.25 * f) });
    // Which items EASE kept: those it scores for a history of its most active item.
    let top = 0;
    for (let i = 1; i < activity.length; i++) if (activity[i] > activity[top]) top = i;
    const probe = ease.score([{ item: top, weight: 1, time: 0 }], 0).scores;
    const head = new Uint8Array(data.nItems);
    for (let i = 0; i < head.length; i++) head[i] = Number.isFinite(probe[i]) ? 1 : 0;
    head[top] = 1;
    this.ease = ease;
    this.knn = knn;
    this.head = head;
    this.c = calibrate(ease, knn, head, this.options);
    this.plan = plan;
    progress(1);
  }

  score(history: readonly HistoryEntry[], now: number): ScoreResult {
    const knn = this.knn;
    if (!knn) return this.ease.score(history, now);
    const head = this.head;
    const n = head.length;
    const e = this.ease.score(history, now);
    const all = knn.score(history, now);
    // Votes from tail items for head items: the kNN over the tail part of the history only.
    const tailAt: number[] = [];
    for (let t = 0; t < history.length; t++) {
      const item = history[t].item;
      if (item >= 0 && item < n && !head[item]) tailAt.push(t);
    }
    const fromTail = tailAt.length
      ? knn.score(
          tailAt.map((t) => history[t]),
          now,
        )
      : null;
    const scores = new Float32Array(n);
    const because = new Int32Array(n).fill(-1);
    const c = this.c;
    for (let j = 0; j < n; j++) {
      if (head[j]) {
        const ej = e.scores[j];
        const tj = fromTail ? fromTail.scores[j] : 0;
        const hasTail = Number.isFinite(tj) && tj !== 0;
        if (!Number.isFinite(ej) && !hasTail) {
          scores[j] = NaN;
          continue;
        }
        scores[j] = (Number.isFinite(ej) ? ej : 0) + (hasTail ? c * tj : 0);
        const fromEase = e.because?.[j] ?? -1;
        const viaTail = fromTail?.because?.[j] ?? -1;
        because[j] = fromEase >= 0 ? fromEase : viaTail >= 0 ? tailAt[viaTail] : -1;
      } else {
        const aj = all.scores[j];
        scores[j] = Number.isFinite(aj) && aj !== 0 ? c * aj : NaN;
        because[j] = all.because?.[j] ?? -1;
      }
    }
    return { scores, because };
  }

  similar(item: number, n: number): { items: Int32Array; scores: Float32Array } {
    const knn = this.knn;
    if (!knn) return this.ease.similar(item, n);
    if (!(item >= 0 && item < this.head.length)) return { items: new Int32Array(0), scores: new Float32Array(0) };
    const fromEase = this.head[item] ? this.ease.similar(item, n) : { items: new Int32Array(0), scores: new Float32Array(0) };
    if (fromEase.items.length >= n) return fromEase;
    // Fill up from the kNN's neighbours, on EASE's scale, after EASE's own.
    const seen = new Set(fromEase.items);
    const nb = knn.similar(item, n + fromEase.items.length);
    const items = [...fromEase.items];
    const scores = [...fromEase.scores];
    for (let q = 0; q < nb.items.length && items.length < n; q++) {
      if (seen.has(nb.items[q])) continue;
      items.push(nb.items[q]);
      scores.push(this.c * nb.scores[q]);
    }
    return { items: Int32Array.from(items), scores: Float32Array.from(scores) };
  }

  save(): Uint8Array {
    // A dense plan is plain EASE, saved as one (readers and older nodes restore it as `ease`).
    if (!this.knn) return this.ease.save();
    return pack(
      { model: 'ease-tail', version: 1, options: this.options, c: this.c, plan: this.plan },
      { ease: this.ease.save() as Uint8Array<ArrayBuffer>, knn: this.knn.save() as Uint8Array<ArrayBuffer>, head: this.head },
    );
  }

  static load(bytes: Uint8Array): ScaledEase {
    const { header, arrays } = unpackModel(bytes, 'ease-tail', 1);
    const m = new ScaledEase(header.options as ScaledEaseOptions);
    m.ease = Ease.load(arrays.ease as Uint8Array);
    m.knn = ItemKnn.load(arrays.knn as Uint8Array);
    m.head = arrays.head as Uint8Array;
    m.c = header.c as number;
    m.plan = (header.plan as SizePlan | null) ?? null;
    return m;
  }
}

/** Users with a positive signal per item: the activity EASE ranks its head by. */
function activeUsersPerItem(data: Interactions, o: EaseOptions): Float64Array {
  const X = signalCsr(userItemCsr(data), o.signal);
  const out = new Float64Array(data.nItems);
  for (let p = 0; p < X.indices.length; p++) if (X.values[p] > 0) out[X.indices[p]]++;
  return out;
}

/**
 * The least-squares slope of EASE's weights on the kNN's similarities, B[a, b] ≈ c · sim(a, b), over
 * the neighbour pairs of up to CALIBRATION_ROWS head items that EASE models on both ends.
 */
function calibrate(ease: Ease, knn: ItemKnn, head: Uint8Array, o: ScaledEaseOptions): number {
  const heads: number[] = [];
  for (let i = 0; i < head.length; i++) if (head[i]) heads.push(i);
  const stride = Math.max(1, Math.floor(heads.length / CALIBRATION_ROWS));
  const v = applySignal(1, o.signal);
  let bs = 0;
  let ss = 0;
  let bb = 0;
  for (let r = 0; r < heads.length; r += stride) {
    const a = heads[r];
    const row = ease.score([{ item: a, weight: 1, time: 0 }], 0).scores;
    const nb = knn.similar(a, o.neighbors);
    for (let q = 0; q < nb.items.length; q++) {
      const b = nb.items[q];
      if (!head[b] || !Number.isFinite(row[b])) continue;
      const w = row[b] / v;
      bs += w * nb.scores[q];
      ss += nb.scores[q] ** 2;
      bb += w * w;
    }
  }
  if (!(ss > 0)) return 1;
  const c = bs / ss;
  // Head pairs that disagree in sign overall (not seen on real data): keep the magnitudes' ratio.
  return c > 0 ? c : Math.sqrt(bb / ss) || 1;
}
