/**
 * A small text classifier for chat messages: sparse features (stemmed words, word bigrams, character
 * n-grams of the folded text) and either a multinomial logistic regression trained with seeded SGD (the
 * default) or a multinomial naive Bayes (kept for comparison in the bench). Pure: the same examples and
 * seed give the same model, bit for bit.
 */
import { shuffleInPlace, unmixedRng } from '../../stats/random.ts';
import { conceptsOf } from './concepts.ts';
import { stem, tokenize, type Lang } from '../../text/text.ts';

export interface Example {
  text: string;
  lang: Lang;
  label: string;
}

export type Algorithm = 'logreg' | 'naive-bayes';

export interface FeatureOptions {
  /** Character n-gram lengths, inclusive. */
  charMin: number;
  charMax: number;
  /** Relative weights of the three feature groups. */
  wordWeight: number;
  bigramWeight: number;
  charWeight: number;
  /** Weight of the bilingual concept cues (see concepts.ts). */
  conceptWeight: number;
}

export interface TrainOptions extends Partial<FeatureOptions> {
  seed?: number;
  algorithm?: Algorithm;
  epochs?: number;
  learningRate?: number;
  l2?: number;
  /** Naive Bayes smoothing. */
  alpha?: number;
}

const DEFAULT_FEATURES: FeatureOptions = {
  charMin: 2,
  charMax: 4,
  wordWeight: 1,
  bigramWeight: 0.6,
  charWeight: 1,
  conceptWeight: 1,
};

export interface TextClassifier {
  algorithm: Algorithm;
  labels: string[];
  features: FeatureOptions;
  /** Feature name -> column. */
  vocabulary: Map<string, number>;
  /** logreg: weights[column * labels + label]; naive Bayes: log P(feature | label), same layout. */
  weights: Float64Array;
  bias: Float64Array;
}

export interface Prediction {
  label: string;
  confidence: number;
  /** Every label with its probability, best first. */
  ranking: Array<{ label: string; p: number }>;
}

/** Sparse feature vector: parallel arrays of feature names and values, L2-normalised per group. */
export function featurize(text: string, lang: Lang, f: FeatureOptions = DEFAULT_FEATURES): Map<string, number> {
  const tokens = tokenize(text).map((t) => (/^\d+$/.test(t) ? '0' : t));
  const stems = tokens.map((t) => stem(t, lang));
  const words = new Map<string, number>();
  const bigrams = new Map<string, number>();
  const chars = new Map<string, number>();
  const concepts = new Map<string, number>();
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const s of stems) add(words, 'w:' + s);
  if (f.conceptWeight > 0) for (const c of conceptsOf(tokens, lang)) add(concepts, 'k:' + c);
  const seq = ['^', ...stems, '$'];
  for (let i = 0; i + 1 < seq.length; i++) add(bigrams, 'b:' + seq[i] + '_' + seq[i + 1]);
  const joined = ' ' + tokens.join(' ') + ' ';
  for (let n = f.charMin; n <= f.charMax; n++) {
    for (let i = 0; i + n <= joined.length; i++) {
      const g = joined.slice(i, i + n);
      if (g.trim() === '') continue;
      add(chars, 'c:' + g);
    }
  }
  const out = new Map<string, number>();
  const put = (m: Map<string, number>, w: number) => {
    if (w <= 0 || m.size === 0) return;
    let norm = 0;
    for (const v of m.values()) norm += v * v;
    const k = w / Math.sqrt(norm);
    for (const [name, v] of m) out.set(name, v * k);
  };
  put(words, f.wordWeight);
  put(bigrams, f.bigramWeight);
  put(chars, f.charWeight);
  put(concepts, f.conceptWeight);
  return out;
}

interface Sparse {
  idx: Int32Array;
  val: Float64Array;
}

function toSparse(feats: Map<string, number>, vocabulary: Map<string, number>, grow: boolean): Sparse {
  const idx: number[] = [];
  const val: number[] = [];
  for (const [name, v] of feats) {
    let j = vocabulary.get(name);
    if (j === undefined) {
      if (!grow) continue;
      j = vocabulary.size;
      vocabulary.set(name, j);
    }
    idx.push(j);
    val.push(v);
  }
  return { idx: Int32Array.from(idx), val: Float64Array.from(val) };
}

function softmaxInPlace(s: Float64Array): void {
  let max = -Infinity;
  for (const v of s) if (v > max) max = v;
  let sum = 0;
  for (let k = 0; k < s.length; k++) {
    s[k] = Math.exp(s[k] - max);
    sum += s[k];
  }
  for (let k = 0; k < s.length; k++) s[k] /= sum;
}

function scores(model: TextClassifier, x: Sparse, out: Float64Array): void {
  const K = model.labels.length;
  out.set(model.bias);
  const W = model.weights;
  for (let t = 0; t < x.idx.length; t++) {
    const base = x.idx[t] * K;
    const v = x.val[t];
    for (let k = 0; k < K; k++) out[k] += W[base + k] * v;
  }
}

/** Trains a classifier on labelled examples. Deterministic for a given seed. */
export function trainTextClassifier(examples: readonly Example[], options: TrainOptions = {}): TextClassifier {
  const features: FeatureOptions = {
    charMin: options.charMin ?? DEFAULT_FEATURES.charMin,
    charMax: options.charMax ?? DEFAULT_FEATURES.charMax,
    wordWeight: options.wordWeight ?? DEFAULT_FEATURES.wordWeight,
    bigramWeight: options.bigramWeight ?? DEFAULT_FEATURES.bigramWeight,
    charWeight: options.charWeight ?? DEFAULT_FEATURES.charWeight,
    conceptWeight: options.conceptWeight ?? DEFAULT_FEATURES.conceptWeight,
  };
  const algorithm = options.algorithm ?? 'logreg';
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const K = labels.length;
  const vocabulary = new Map<string, number>();
  const xs = examples.map((e) => toSparse(featurize(e.text, e.lang, features), vocabulary, true));
  const ys = Int32Array.from(examples.map((e) => labelIndex.get(e.label)!));
  const D = vocabulary.size;
  const weights = new Float64Array(D * K);
  const bias = new Float64Array(K);
  const model: TextClassifier = { algorithm, labels, features, vocabulary, weights, bias };

  if (algorithm === 'naive-bayes') {
    const alpha = options.alpha ?? 0.1;
    const totals = new Float64Array(K);
    const docs = new Float64Array(K);
    xs.forEach((x, i) => {
      const y = ys[i];
      docs[y]++;
      for (let t = 0; t < x.idx.length; t++) {
        weights[x.idx[t] * K + y] += x.val[t];
        totals[y] += x.val[t];
      }
    });
    for (let k = 0; k < K; k++) {
      const denom = Math.log(totals[k] + alpha * D);
      for (let j = 0; j < D; j++) weights[j * K + k] = Math.log(weights[j * K + k] + alpha) - denom;
      bias[k] = Math.log((docs[k] + 1) / (xs.length + K));
    }
  } else {
    const epochs = options.epochs ?? 10;
    const lr0 = options.learningRate ?? 1.2;
    const l2 = options.l2 ?? 0;
    const next = unmixedRng(options.seed ?? 1);
    const order = Array.from(xs.keys());
    const p = new Float64Array(K);
    const active = new Int32Array(K);
    let step = 0;
    const totalSteps = epochs * xs.length;
    for (let e = 0; e < epochs; e++) {
      shuffleInPlace(order, next);
      for (const i of order) {
        const x = xs[i];
        const lr = lr0 * (1 - step / (totalSteps + 1)) + 0.01;
        step++;
        scores(model, x, p);
        softmaxInPlace(p);
        p[ys[i]] -= 1;
        // Only classes with a non-negligible gradient are updated: the same result to the printed digit, much faster.
        let na = 0;
        for (let k = 0; k < K; k++) {
          if (p[k] > 1e-6 || p[k] < -1e-6) {
            active[na++] = k;
            bias[k] -= lr * p[k];
          }
        }
        const decay = 1 - lr * l2;
        for (let t = 0; t < x.idx.length; t++) {
          const base = x.idx[t] * K;
          const a = lr * x.val[t];
          if (l2 > 0) for (let k = 0; k < K; k++) weights[base + k] *= decay;
          for (let q = 0; q < na; q++) {
            const k = active[q];
            weights[base + k] -= a * p[k];
          }
        }
      }
    }
  }
  return model;
}

/** Probabilities of every label for one message. */
export function predict(model: TextClassifier, text: string, lang: Lang): Prediction {
  const x = toSparse(featurize(text, lang, model.features), model.vocabulary, false);
  const s = new Float64Array(model.labels.length);
  if (model.algorithm === 'naive-bayes') {
    // Multinomial NB with feature values as fractional counts; squash with a temperature so the
    // probabilities are usable as a confidence.
    s.set(model.bias);
    const K = model.labels.length;
    for (let t = 0; t < x.idx.length; t++) for (let k = 0; k < K; k++) s[k] += model.weights[x.idx[t] * K + k] * x.val[t];
    for (let k = 0; k < K; k++) s[k] /= 2;
  } else {
    scores(model, x, s);
  }
  softmaxInPlace(s);
  const ranking = model.labels.map((label, k) => ({ label, p: s[k] })).sort((a, b) => b.p - a.p || (a.label < b.label ? -1 : 1));
  return { label: ranking[0].label, confidence: ranking[0].p, ranking };
}
