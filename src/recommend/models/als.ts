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
import { pack, unpackModel } from './pack.ts';
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
    const X = new Float64Array(data.nUsers * k);
    const Y = new Float64Array(data.nItems * k);
    for (let p = 0; p < Y.length; p++) Y[p] = gaussian(rand) * scale;
    for (let p = 0; p < X.length; p++) X[p] = gaussian(rand) * scale;
    const G = new Float64Array(k * k);
    const work = new CgWork(k);
    for (let it = 0; it < o.iterations; it++) {
      gram(Y, data.nItems, k, 0, G);
      sweep(R, Y, X, G, k, o.alpha, o.cgSteps, work, (nr) => this.reg(nr, data.nItems));
      gram(X, data.nUsers, k, 0, G);
      sweep(Rt, X, Y, G, k, o.alpha, o.cgSteps, work, (nr) => this.reg(nr, data.nUsers));
      progress((it + 1) / o.iterations);
    }
    for (let p = 0; p < Y.length; p++) if (!Number.isFinite(Y[p])) throw new ModelFitError('ALS diverged (non-finite factors); raise regularization');
    this.nItems = data.nItems;
    this.Y = Y;
    this.YtY = new Float64Array(k * k);
    gram(Y, data.nItems, k, 0, this.YtY);
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
    const scores = new Float32Array(n);
    for (let i = 0; i < n; i++) {
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

  similar(item: number, n: number): { items: Int32Array; scores: Float32Array } {
    if (!(item >= 0 && item < this.nItems)) return { items: new Int32Array(0), scores: new Float32Array(0) };
    const k = this.options.factors;
    const Y = this.Y;
    const norm = (i: number) => {
      let s = 0;
      for (let a = 0; a < k; a++) s += Y[i * k + a] ** 2;
      return Math.sqrt(s);
    };
    const ni = norm(item);
    if (ni === 0) return { items: new Int32Array(0), scores: new Float32Array(0) };
    return bestOf(
      n,
      this.nItems,
      (j) => {
        let s = 0;
        for (let a = 0; a < k; a++) s += Y[item * k + a] * Y[j * k + a];
        const nj = norm(j);
        return nj > 0 ? s / (ni * nj) : -Infinity;
      },
      item,
    );
  }

  save(): Uint8Array {
    return pack({ model: 'als', version: 1, options: this.options, nItems: this.nItems }, { Y: this.Y, YtY: this.YtY });
  }

  static load(bytes: Uint8Array): Als {
    const { header, arrays } = unpackModel(bytes, 'als', 1);
    const m = new Als(header.options as AlsOptions);
    m.nItems = header.nItems as number;
    m.Y = arrays.Y as Float64Array;
    m.YtY = arrays.YtY as Float64Array;
    return m;
  }
}

/** G = FᵀF + λI for F (rows × k). Accumulated row by row (k² per row, rows streamed once). */
function gram(F: Float64Array, rows: number, k: number, lambda: number, G: Float64Array): void {
  G.fill(0);
  for (let r = 0; r < rows; r++) {
    const o = r * k;
    for (let a = 0; a < k; a++) {
      const fa = F[o + a];
      if (fa === 0) continue;
      const ga = a * k;
      for (let b = 0; b <= a; b++) G[ga + b] += fa * F[o + b];
    }
  }
  for (let a = 0; a < k; a++) {
    G[a * k + a] += lambda;
    for (let b = 0; b < a; b++) G[b * k + a] = G[a * k + b];
  }
}

class CgWork {
  r: Float64Array;
  p: Float64Array;
  Ap: Float64Array;
  constructor(k: number) {
    this.r = new Float64Array(k);
    this.p = new Float64Array(k);
    this.Ap = new Float64Array(k);
  }
}

/**
 * Updates every row of `out` (one per CSR row of R) from the fixed factors `F`, with G = FᵀF + λI:
 * a few CG steps on (G + Σᵢ (cᵢ − 1) fᵢfᵢᵀ) x = Σᵢ cᵢ pᵢ fᵢ, starting from the current x.
 */
function sweep(
  R: Csr,
  F: Float64Array,
  out: Float64Array,
  G: Float64Array,
  k: number,
  alpha: number,
  steps: number,
  w: CgWork,
  regOf: (n: number) => number,
): void {
  const { r, p, Ap } = w;
  for (let u = 0; u < R.nRows; u++) {
    const start = R.indptr[u];
    const end = R.indptr[u + 1];
    const xo = u * k;
    if (start === end) {
      out.fill(0, xo, xo + k);
      continue;
    }
    const lambda = regOf(end - start);
    // r = b − A x
    applyA(G, lambda, F, R, start, end, out, xo, k, alpha, Ap);
    r.fill(0);
    for (let q = start; q < end; q++) {
      const v = R.values[q];
      if (v <= 0) continue;
      const c = 1 + alpha * v;
      const fo = R.indices[q] * k;
      for (let a = 0; a < k; a++) r[a] += c * F[fo + a];
    }
    let rs = 0;
    for (let a = 0; a < k; a++) {
      r[a] -= Ap[a];
      p[a] = r[a];
      rs += r[a] * r[a];
    }
    for (let s = 0; s < steps && rs > 1e-20; s++) {
      applyA(G, lambda, F, R, start, end, p, 0, k, alpha, Ap);
      let pAp = 0;
      for (let a = 0; a < k; a++) pAp += p[a] * Ap[a];
      if (!(pAp > 0)) break;
      const step = rs / pAp;
      let rs2 = 0;
      for (let a = 0; a < k; a++) {
        out[xo + a] += step * p[a];
        r[a] -= step * Ap[a];
        rs2 += r[a] * r[a];
      }
      const beta = rs2 / rs;
      for (let a = 0; a < k; a++) p[a] = r[a] + beta * p[a];
      rs = rs2;
    }
  }
}

/** out = (G + λI + Σ (c − 1) fᵢfᵢᵀ) v, v = vec[vo .. vo + k). */
function applyA(
  G: Float64Array,
  lambda: number,
  F: Float64Array,
  R: Csr,
  start: number,
  end: number,
  vec: Float64Array,
  vo: number,
  k: number,
  alpha: number,
  out: Float64Array,
): void {
  for (let a = 0; a < k; a++) {
    const ga = a * k;
    let s = 0;
    for (let b = 0; b < k; b++) s += G[ga + b] * vec[vo + b];
    out[a] = s + lambda * vec[vo + a];
  }
  for (let q = start; q < end; q++) {
    const c1 = alpha * Math.abs(R.values[q]);
    if (c1 === 0) continue;
    const fo = R.indices[q] * k;
    let d = 0;
    for (let a = 0; a < k; a++) d += F[fo + a] * vec[vo + a];
    d *= c1;
    for (let a = 0; a < k; a++) out[a] += d * F[fo + a];
  }
}
