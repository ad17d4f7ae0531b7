/**
 * Implicit-feedback matrix factorisation (Hu, Koren & Volinsky 2008). Every observed (user, item)
 * pair is a preference p = 1 held with confidence c = 1 + α·r (r: the signal strength); every other
 * pair is a preference 0 with confidence 1. Alternating least squares minimises
 *
 *   Σᵤᵢ cᵤᵢ (pᵤᵢ − xᵤ·yᵢ)² + λ (Σᵤ‖xᵤ‖² + Σᵢ‖yᵢ‖²)
 *
 * and each row update is the linear system (YᵀY + Yᵀ(Cᵤ − I)Y + λI) xᵤ = Yᵀ Cᵤ pᵤ, solved
 * approximately by a few conjugate-gradient steps warm-started from the previous factors (Takács,
 * Pilászy & Tikk 2011), so a sweep costs O(nnz·k + (users + items)·k²) rather than a k³ solve per row.
 * A net-negative (user, item) strength (dislikes, returns) is a preference 0 with confidence 1 + α|r|.
 *
 * Users are not stored: `score` solves the user's factor exactly from the current history (fold-in),
 * so a new event counts at once.
 */
import { foldHistory, noOpinion, transpose, userItemCsr, type Csr, type Signal } from './common.ts';
import { gaussian, rng } from '../../stats/random.ts';
import { bestOf } from './top-k.ts';
import { cholesky, choleskySolve, NotPositiveDefiniteError } from './linalg.ts';
import { CgWork, type SweepSide, splitGram, sweep } from './als-sweep.ts';
import { SweepPool, alsThreads, sharedCsr } from './als-threads.ts';
import { buildHnsw, type HnswIndex, hnswFromState, hnswState, searchHnsw } from './hnsw.ts';
import { type PackableArray, pack, unpackModel } from './pack.ts';
import { FactorScan } from './wasm-gemv.ts';
import { ModelFitError, NotEnoughDataError, type FitOptions, type HistoryEntry, type Interactions, type Recommender, type ScoreResult } from './types.ts';

export interface AlsOptions {
  /** Latent dimensions k. */
  factors: number;
  /** L2 regularisation λ. */
  regularization: number;
  /**
   * Frequency scaling ν of the regularisation (Rendle et al. 2021, "Revisiting the performance of
   * iALS"): a row with n observed entries out of N gets λ·(1 + α·n/N)^ν. 0 is plain HKV.
   */
  regExponent: number;
  /** Confidence slope α in c = 1 + α·r. */
  alpha: number;
  /** Alternating sweeps over users and items. */
  iterations: number;
  /** Conjugate-gradient steps per row update. */
  cgSteps: number;
  /** How a (user, item) sum of weights becomes the strength r. */
  signal: Signal;
  /** Standard deviation of the initial factors (times 1/√k). */
  initScale: number;
  /** Exponential decay of history weights at scoring time, in days (0: none). */
  historyHalfLifeDays: number;
  /** `because` is filled for this many best-scoring items (the rest get −1). */
  explainTop: number;
  /**
   * From this many items on, training builds an HNSW index (hnsw.ts) and `score` scores only the
   * `annEf` items it finds (the rest: no opinion); below, every item is scored exactly. Default: never.
   */
  annAbove: number;
  /** Beam width of the index search, and so the number of candidates scored. */
  annEf: number;
  /**
   * How the exact scan scores every item: 'float32' against a float32 copy of the item factors
   * (wasm-gemv.ts, SIMD; the copy costs half as much memory again as the factors), or 'float64', the
   * scalar loop over the factors themselves (the float64 ranking to the last bit, 3–4× the CPU).
   */
  exactScan: 'float32' | 'float64';
  /**
   * Threads of the half-sweeps (als-threads.ts): 0 chooses (two on a multi-core machine when the data is
   * large enough to repay the second thread's start, else one). The factors are the same to the bit.
   */
  threads: number;
}

export const ALS_DEFAULTS: AlsOptions = {
  factors: 64,
  regularization: 0.1,
  regExponent: 0,
  alpha: 10,
  iterations: 15,
  cgSteps: 3,
  signal: 'log',
  initScale: 0.1,
  historyHalfLifeDays: 0,
  explainTop: 200,
  // Never by default. bench/scale.ts --retrieval (README, "Exact or HNSW retrieval"; 2026-12-02, k = 128,
  // uniform random factors, load average 18–25), CPU ms per request p50, float32 exact scan against the
  // index at recall@100 ≥ 0.95: 10,000 items 4.9 against 8.2 (ef = 200, recall 0.971; even ef = 100,
  // recall 0.874, took 5.8); 30,000 items 7.4 against 17.0 (ef = 400, recall 0.968; ef = 100, recall
  // 0.707, took 8.4); 100,000 items 16.3 exact, the index's build not finished in two sessions (34 CPU s
  // at 10,000, 200 at 30,000). The index trades recall for a saving the exact scan no longer leaves it; set
  // `annAbove` to opt in.
  annAbove: Number.MAX_SAFE_INTEGER,
  annEf: 400,
  exactScan: 'float32',
  threads: 0,
};

/** Strength and confidence of one aggregated (user, item) value. */
function strength(w: number, signal: Signal): number {
  const a = Math.abs(w);
  const r = signal === 'binary' ? 1 : signal === 'log' ? Math.log1p(a) : a;
  return w < 0 ? -r : r;
}

export class Als implements Recommender {
  readonly name = 'als';
  readonly options: AlsOptions;
  private nItems = 0;
  /** nItems × k item factors. */
  private Y: Float64Array = new Float64Array(0);
  /** k × k: YᵀY, cached for fold-in. */
  private YtY: Float64Array = new Float64Array(0);
  /** Candidate index over Y, from `annAbove` items on. */
  private index: HnswIndex | null = null;
  /** The float32 scan of `Y` (and the factors' norms, for `similar`), made at first use after `Y` changes. */
  private scanned: { Y: Float64Array; scan: FactorScan; norms: Float64Array | null } | null = null;
  /** How the last `fit` ran: its threads, and the row blocks the helper thread updated. */
  lastFit: { threads: number; helperBlocks: number } | null = null;

  constructor(options: Partial<AlsOptions> = {}) {
    this.options = { ...ALS_DEFAULTS, ...options };
    const o = this.options;
    if (!(Number.isInteger(o.factors) && o.factors >= 1)) throw new RangeError('factors must be a positive integer');
    if (!(o.regularization > 0)) throw new RangeError('regularization must be positive');
    if (!(o.alpha >= 0)) throw new RangeError('alpha must be non-negative');
  }

  /** Item factors (read-only view), nItems × factors. */
  get itemFactors(): Float64Array {
    return this.Y;
  }

  fit(data: Interactions, opts: FitOptions = {}): void {
    const o = this.options;
    const k = o.factors;
    const progress = opts.onProgress ?? (() => {});
    const raw = userItemCsr(data);
    // Confidence-weighted matrix: values hold signed strengths.
    const R: Csr = { ...raw, values: Float32Array.from(raw.values, (w) => strength(w, o.signal)) };
    if (!R.values.some((v) => v > 0)) throw new NotEnoughDataError('ALS needs at least one positive interaction');
    const Rt = transpose(R);
    const rand = rng(opts.seed ?? 1);
    const scale = o.initScale / Math.sqrt(k);
    const threads = alsThreads(o.threads, R.indices.length, k);
    // With a helper thread, everything both threads read or write lives in shared memory.
    const alloc = (n: number) => (threads > 1 ? new Float64Array(new SharedArrayBuffer(n * 8)) : new Float64Array(n));
    const X = alloc(data.nUsers * k);
    const Y = alloc(data.nItems * k);
    for (let p = 0; p < Y.length; p++) Y[p] = gaussian(rand) * scale;
    for (let p = 0; p < X.length; p++) X[p] = gaussian(rand) * scale;
    const G = alloc(k * k);
    const G2 = alloc(k * k);
    const work = new CgWork(k);
    const base = { G, k, alpha: o.alpha, steps: o.cgSteps };
    const RS = threads > 1 ? sharedCsr(R) : R;
    const RtS = threads > 1 ? sharedCsr(Rt) : Rt;
    const users: SweepSide = { ...base, R: RS, F: Y, out: X, regOf: (nr) => this.reg(nr, data.nItems) };
    const items: SweepSide = { ...base, R: RtS, F: X, out: Y, regOf: (nr) => this.reg(nr, data.nUsers) };
    const pool =
      threads > 1
        ? new SweepPool(RS, RtS, X, Y, G, G2, { k, alpha: o.alpha, steps: o.cgSteps, regularization: o.regularization, regExponent: o.regExponent })
        : null;
    try {
      for (let it = 0; it < o.iterations; it++) {
        if (pool) pool.gram(Y, false, data.nItems, G, G2, work);
        else splitGram(work, Y, data.nItems, G, G2);
        if (pool) pool.run(users, true, work);
        else sweep(users, work);
        if (pool) pool.gram(X, true, data.nUsers, G, G2, work);
        else splitGram(work, X, data.nUsers, G, G2);
        if (pool) pool.run(items, false, work);
        else sweep(items, work);
        progress((it + 1) / o.iterations);
      }
    } finally {
      pool?.close();
    }
    this.lastFit = { threads, helperBlocks: pool?.helperBlocks ?? 0 };
    for (let p = 0; p < Y.length; p++) if (!Number.isFinite(Y[p])) throw new ModelFitError('ALS diverged (non-finite factors); raise regularization');
    this.nItems = data.nItems;
    // The model keeps (and saves) an unshared copy; the shared one goes with the helper.
    this.Y = pool ? Y.slice() : Y;
    this.index = null;
    if (this.nItems >= o.annAbove) this.indexItems(opts.seed ?? 1);
    this.YtY = new Float64Array(k * k);
    work.gram(this.Y, 0, data.nItems, this.YtY);
  }

  /** Builds the HNSW candidate index over the item factors (training does from `annAbove` items on). */
  indexItems(seed = 1): void {
    this.index = buildHnsw(this.Y, this.nItems, this.options.factors, { M: 32, efConstruction: 200, seed });
  }

  /** The regularisation of a row with `count` observed entries out of `of`. */
  private reg(count: number, of: number): number {
    const o = this.options;
    return o.regExponent === 0 ? o.regularization : o.regularization * (1 + (o.alpha * count) / Math.max(1, of)) ** o.regExponent;
  }

  score(history: readonly HistoryEntry[], now: number): ScoreResult {
    const o = this.options;
    const k = o.factors;
    const n = this.nItems;
    const h = foldHistory(history, n, now, o.historyHalfLifeDays * 86_400_000);
    // A = YᵀY + λI + Σ (c − 1) yᵢ yᵢᵀ, b = Σ c·p yᵢ.
    const A = this.YtY.slice();
    let observed = 0;
    for (let t = 0; t < h.items.length; t++) if (strength(h.weights[t], o.signal) !== 0) observed++;
    const lambda = this.reg(observed, n);
    for (let a = 0; a < k; a++) A[a * k + a] += lambda;
    const b = new Float64Array(k);
    const conf = new Float64Array(h.items.length);
    let positives = 0;
    for (let t = 0; t < h.items.length; t++) {
      const r = strength(h.weights[t], o.signal);
      if (r === 0) continue;
      const c = 1 + o.alpha * Math.abs(r);
      const yo = h.items[t] * k;
      for (let a = 0; a < k; a++) {
        const ya = this.Y[yo + a] * (c - 1);
        const ra = a * k;
        for (let q = 0; q <= a; q++) A[ra + q] += ya * this.Y[yo + q];
      }
      if (r > 0) {
        positives++;
        conf[t] = c;
        for (let a = 0; a < k; a++) b[a] += c * this.Y[yo + a];
      }
    }
    if (positives === 0) return { scores: noOpinion(n), because: new Int32Array(n).fill(-1) };
    try {
      cholesky(A, k);
    } catch (e) {
      if (e instanceof NotPositiveDefiniteError) return { scores: noOpinion(n), because: new Int32Array(n).fill(-1) };
      throw e;
    }
    const x = b.slice();
    choleskySolve(A, k, x);
    // With an index, only its candidates get a score, the same exact one; the rest have no opinion.
    const candidates = this.index ? searchHnsw(this.index, x, o.annEf, o.annEf).items : null;
    const scores = candidates ? noOpinion(n) : new Float32Array(n);
    // The index's candidates get the values the exact scan would give them.
    if (o.exactScan === 'float32') {
      if (candidates) this.scan().scan.scoresOf(x, candidates, scores);
      else this.scan().scan.scores(x, scores);
    } else
      for (let c = 0, end = candidates ? candidates.length : n; c < end; c++) {
        const i = candidates ? candidates[c] : c;
        const yo = i * k;
        let s = 0;
        for (let a = 0; a < k; a++) s += this.Y[yo + a] * x[a];
        scores[i] = s;
      }
    // Explanations: the score is linear in b, so history item t contributes cₜ · yⱼᵀ A⁻¹ yₜ.
    const because = new Int32Array(n).fill(-1);
    if (o.explainTop > 0) {
      const z: Float64Array[] = [];
      const src: number[] = [];
      for (let t = 0; t < h.items.length; t++) {
        if (conf[t] === 0) continue;
        const v = this.Y.slice(h.items[t] * k, h.items[t] * k + k);
        choleskySolve(A, k, v);
        for (let a = 0; a < k; a++) v[a] *= conf[t];
        z.push(v);
        src.push(h.source[t]);
      }
      const top = bestOf(o.explainTop, n, (i) => scores[i], -1).items;
      for (const j of top) {
        let best = 0;
        let arg = -1;
        for (let t = 0; t < z.length; t++) {
          let s = 0;
          for (let a = 0; a < k; a++) s += this.Y[j * k + a] * z[t][a];
          if (s > best) {
            best = s;
            arg = src[t];
          }
        }
        because[j] = arg;
      }
    }
    return { scores, because };
  }

  /** The float32 scan of the current item factors, made once per `Y`. */
  private scan(): { scan: FactorScan; norms: Float64Array | null } {
    if (this.scanned?.Y !== this.Y) this.scanned = { Y: this.Y, scan: new FactorScan(this.Y, this.nItems, this.options.factors), norms: null };
    return this.scanned;
  }

  similar(item: number, n: number): { items: Int32Array; scores: Float32Array } {
    if (!(item >= 0 && item < this.nItems)) return { items: new Int32Array(0), scores: new Float32Array(0) };
    const k = this.options.factors;
    const Y = this.Y;
    const norm = (i: number) => {
      let s = 0;
      for (let a = 0; a < k; a++) s += Y[i * k + a] ** 2;
      return Math.sqrt(s);
    };
    const cosine = (j: number, nj = norm(j)) => {
      let s = 0;
      for (let a = 0; a < k; a++) s += Y[item * k + a] * Y[j * k + a];
      return nj > 0 ? s / (ni * nj) : -Infinity;
    };
    const ni = norm(item);
    if (ni === 0) return { items: new Int32Array(0), scores: new Float32Array(0) };
    if (this.options.exactScan === 'float64') return bestOf(n, this.nItems, (j) => cosine(j), item);
    // The float32 scan's cosines are off by at most (k + 2)·2⁻²⁴ (|Σ yₐxₐ| ≤ ‖y‖‖x‖), so an item of the
    // float64 top n has a float32 cosine within twice that of the n-th float32 one. Those few are scored
    // again by the float64 loop above: the same items, order and scores as the float64 scan (up to which
    // of exactly tied items fills the last places), which ML-100k's items, many nearly parallel, need
    // (the float32 order alone differed in 308 of 1,682 top 10s).
    const scanned = this.scan();
    if (!scanned.norms) scanned.norms = Float64Array.from({ length: this.nItems }, (_, i) => norm(i));
    const norms = scanned.norms;
    const dots = scanned.scan.scores(scanned.scan.rows.subarray(item * k, item * k + k));
    const rough = (j: number) => (norms[j] > 0 ? dots[j] / (ni * norms[j]) : -Infinity);
    const firstN = bestOf(n, this.nItems, rough, item).scores;
    const floor = n > 0 && firstN.length === n ? firstN[n - 1] - 4 * (k + 2) * 2 ** -24 : -Infinity;
    const near: number[] = [];
    for (let j = 0; j < this.nItems; j++) if (j !== item && rough(j) >= floor && norms[j] > 0) near.push(j);
    const best = bestOf(n, near.length, (c) => cosine(near[c], norms[near[c]]), -1);
    return { items: best.items.map((c) => near[c]), scores: best.scores };
  }

  save(): Uint8Array {
    const arrays: Record<string, PackableArray> = { Y: this.Y, YtY: this.YtY };
    const graph = this.index ? hnswState(this.index) : null;
    if (graph) for (const [name, a] of Object.entries(graph.arrays)) arrays[`hnsw.${name}`] = a;
    return pack({ model: 'als', version: 1, options: this.options, nItems: this.nItems, hnsw: graph?.header ?? null }, arrays);
  }

  static load(bytes: Uint8Array): Als {
    const { header, arrays } = unpackModel(bytes, 'als', 1);
    const m = new Als(header.options as AlsOptions);
    m.nItems = header.nItems as number;
    m.Y = arrays.Y as Float64Array;
    m.YtY = arrays.YtY as Float64Array;
    // A model saved before the index existed has none, and scores exactly.
    if (header.hnsw) {
      const graph = { levels: arrays['hnsw.levels'], links: arrays['hnsw.links'] };
      m.index = hnswFromState(header.hnsw as Record<string, unknown>, graph, m.Y);
    }
    return m;
  }
}
