/** Held-out evaluation of the intent classifier: seeded stratified split, accuracy and macro-F1 per language. */
import type { Example } from './classifier.ts';
import { classifyIntent, intentExamples, trainIntentModel, type IntentTrainOptions } from './intents.ts';
import { shuffleInPlace, unmixedRng } from '../../stats/random.ts';
import type { Lang } from '../../text/text.ts';

/** Splits examples so that each (language, label) group keeps `testFraction` of its rows for testing. */
export function stratifiedSplit<T extends { label: string; lang?: string }>(
  examples: readonly T[],
  testFraction: number,
  seed: number,
): { train: T[]; test: T[] } {
  const groups = new Map<string, T[]>();
  for (const e of examples) {
    const key = `${e.lang ?? ''}\u0000${e.label}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(e);
  }
  const next = unmixedRng(seed);
  const train: T[] = [];
  const test: T[] = [];
  for (const key of [...groups.keys()].sort()) {
    const g = shuffleInPlace([...groups.get(key)!], next);
    const nTest = Math.max(1, Math.round(g.length * testFraction));
    test.push(...g.slice(0, nTest));
    train.push(...g.slice(nTest));
  }
  return { train, test };
}

export interface Scores {
  n: number;
  accuracy: number;
  macroF1: number;
  /** F1 per gold label. */
  perLabel: Record<string, number>;
}

/** Accuracy and macro-F1 (the mean of per-label F1 over the labels that occur in gold or predictions). */
export function score(gold: readonly string[], predicted: readonly string[]): Scores {
  const labels = [...new Set([...gold, ...predicted])].sort();
  let correct = 0;
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  const inc = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  gold.forEach((g, i) => {
    const p = predicted[i];
    if (g === p) {
      correct++;
      inc(tp, g);
    } else {
      inc(fp, p);
      inc(fn, g);
    }
  });
  const perLabel: Record<string, number> = {};
  let sum = 0;
  for (const l of labels) {
    const t = tp.get(l) ?? 0;
    const denom = 2 * t + (fp.get(l) ?? 0) + (fn.get(l) ?? 0);
    const f1 = denom === 0 ? 0 : (2 * t) / denom;
    perLabel[l] = f1;
    sum += f1;
  }
  return { n: gold.length, accuracy: gold.length ? correct / gold.length : 0, macroF1: labels.length ? sum / labels.length : 0, perLabel };
}

export interface IntentEvaluation {
  seed: number;
  testFraction: number;
  trainExamples: number;
  en: Scores;
  es: Scores;
  all: Scores;
  /** Test phrases that were misclassified, for inspection. */
  errors: Array<{ text: string; lang: Lang; gold: string; predicted: string; confidence: number }>;
}

/** Trains on a stratified split of the shipped phrases and scores the held-out part per language. */
export function evaluateIntents(seed = 1, testFraction = 0.25, options: IntentTrainOptions = {}): IntentEvaluation {
  const { train, test } = stratifiedSplit(intentExamples(), testFraction, seed);
  const model = trainIntentModel(seed, { ...options, examples: train });
  const rows = test.map((e: Example) => {
    const r = classifyIntent(model, e.text, e.lang);
    return { text: e.text, lang: e.lang, gold: e.label, predicted: r.intent as string, confidence: r.confidence };
  });
  const pick = (lang?: Lang) => {
    const rs = rows.filter((r) => !lang || r.lang === lang);
    return score(
      rs.map((r) => r.gold),
      rs.map((r) => r.predicted),
    );
  };
  return {
    seed,
    testFraction,
    trainExamples: train.length,
    en: pick('en'),
    es: pick('es'),
    all: pick(),
    errors: rows.filter((r) => r.gold !== r.predicted),
  };
}
