// The intent classifier value by value: features, naive Bayes, one epoch of SGD and the prediction's
// ranking, each expectation worked out by hand in the comments (the intent tests check only accuracy).
import { describe, expect, it } from 'vitest';
import { featurize, predict, trainTextClassifier, type TextClassifier } from '../../../src/converse/nlu/classifier.ts';
import { score, stratifiedSplit } from '../../../src/converse/nlu/evaluate.ts';

const none = { charMin: 2, charMax: 2, wordWeight: 0, bigramWeight: 0, charWeight: 0, conceptWeight: 0 };
const toy = [
  { text: 'aa', lang: 'en' as const, label: 'x' },
  { text: 'bb', lang: 'en' as const, label: 'y' },
];

describe('featurize', () => {
  it('words: stems counted, digits as "0", the group scaled to unit length times its weight', () => {
    // hi ×2, 0 ×1: length √5.
    expect(featurize('Hi hi 42', 'en', { ...none, wordWeight: 1 })).toEqual(
      new Map([
        ['w:hi', 2 / Math.sqrt(5)],
        ['w:0', 1 / Math.sqrt(5)],
      ]),
    );
    expect(featurize('hi', 'en', { ...none, wordWeight: 3 })).toEqual(new Map([['w:hi', 3]]));
  });

  it('bigrams run from a start mark to an end mark', () => {
    const third = 1 / Math.sqrt(3);
    expect(featurize('red cat', 'en', { ...none, bigramWeight: 1 })).toEqual(
      new Map([
        ['b:^_red', third],
        ['b:red_cat', third],
        ['b:cat_$', third],
      ]),
    );
  });

  it('character n-grams of every length asked, padded by a space, none of spaces only', () => {
    const fifth = 1 / Math.sqrt(5);
    expect(featurize('ab', 'en', { ...none, charMin: 2, charMax: 3, charWeight: 1 })).toEqual(
      new Map([
        ['c: a', fifth],
        ['c:ab', fifth],
        ['c:b ', fifth],
        ['c: ab', fifth],
        ['c:ab ', fifth],
      ]),
    );
    // Single characters: the padding spaces are no feature.
    expect(featurize('ab', 'en', { ...none, charMin: 1, charMax: 1, charWeight: 1 })).toEqual(
      new Map([
        ['c:a', 1 / Math.sqrt(2)],
        ['c:b', 1 / Math.sqrt(2)],
      ]),
    );
  });

  it('concepts, and a group of weight 0 or with nothing in it adds no feature', () => {
    expect(featurize('hello', 'en', { ...none, conceptWeight: 2 })).toEqual(new Map([['k:GREET', 2]]));
    expect(featurize('zzz', 'en', { ...none, conceptWeight: 2 })).toEqual(new Map());
    expect(featurize('hello', 'en', none)).toEqual(new Map());
  });

  it('the defaults use every group', () => {
    const f = featurize('hello there', 'en');
    expect(f.get('k:GREET')).toBe(1);
    expect(f.get('w:hello')).toBeCloseTo(1 / Math.sqrt(2), 12);
    expect(f.get('b:hello_ther')).toBeCloseTo(0.6 / Math.sqrt(3), 12);
    expect([...f.keys()].filter((k) => k.startsWith('c:')).length).toBeGreaterThan(20);
    expect(f.has('c:hell')).toBe(true);
    expect(f.has('c:hello')).toBe(false);
  });
});

describe('naive Bayes', () => {
  it('log P(word | label) with additive smoothing, the prior from document counts, and a temperature of 2', () => {
    const nb = trainTextClassifier(toy, { algorithm: 'naive-bayes', ...none, wordWeight: 1 });
    expect(nb.labels).toEqual(['x', 'y']);
    expect(nb.vocabulary).toEqual(
      new Map([
        ['w:aa', 0],
        ['w:bb', 1],
      ]),
    );
    // α = 0.1, two features: each label's total 1 + 0.2.
    const seen = Math.log(1.1 / 1.2);
    const unseen = Math.log(0.1 / 1.2);
    [seen, unseen, unseen, seen].forEach((w, i) => {
      expect(nb.weights[i]).toBeCloseTo(w, 12);
    });
    // (1 doc + 1) / (2 docs + 2 labels)
    expect([...nb.bias]).toEqual([Math.log(0.5), Math.log(0.5)]);
    // Scores halved: P(x) = 1 / (1 + √(0.1 / 1.1)).
    const p = predict(nb, 'aa', 'en');
    expect(p.label).toBe('x');
    expect(p.confidence).toBeCloseTo(1 / (1 + Math.sqrt(0.1 / 1.1)), 12);
    expect(p.ranking.map((r) => r.label)).toEqual(['x', 'y']);
  });

  it('takes the smoothing asked for', () => {
    const nb = trainTextClassifier(toy, { algorithm: 'naive-bayes', ...none, wordWeight: 1, alpha: 1 });
    expect(nb.weights[0]).toBeCloseTo(Math.log(2 / 3), 12);
    expect(nb.weights[1]).toBeCloseTo(Math.log(1 / 3), 12);
  });
});

describe('logistic regression by SGD', () => {
  it('no epoch, no learning: zeros', () => {
    const m = trainTextClassifier(toy, { ...none, wordWeight: 1, epochs: 0 });
    expect(m.algorithm).toBe('logreg');
    expect([...m.weights, ...m.bias]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('one epoch, step by step', () => {
    // Seed 3 visits "aa" (x) first. Step 0: lr = 1.2·(1 − 0/3) + 0.01 = 1.21; p = (½, ½), gradient
    // (−½, ½): bias and w[aa] move ±0.605. Step 1, "bb" (y): lr = 1.2·(1 − 1/3) + 0.01 = 0.81; the
    // scores are the bias, p(x) = σ(1.21), gradient (p(x), p(x) − 1), so w[bb] = ∓0.81·σ(1.21).
    const m = trainTextClassifier(toy, { ...none, wordWeight: 1, epochs: 1, seed: 3 });
    const px = 1 / (1 + Math.exp(-1.21));
    const expected = [0.605, -0.605, -0.81 * px, 0.81 * px];
    expected.forEach((w, i) => {
      expect(m.weights[i], `w${i}`).toBeCloseTo(w, 12);
    });
    expect(m.bias[0]).toBeCloseTo(0.605 - 0.81 * px, 12);
    expect(m.bias[1]).toBeCloseTo(-0.605 + 0.81 * px, 12);
    // The learning rate asked for.
    const slow = trainTextClassifier(toy, { ...none, wordWeight: 1, epochs: 1, seed: 3, learningRate: 0.2 });
    expect(slow.weights[0]).toBeCloseTo(0.5 * (0.2 + 0.01), 12);
  });

  it('L2 decay keeps the weights smaller', () => {
    const sum = (m: TextClassifier) => m.weights.reduce((a, w) => a + Math.abs(w), 0);
    const plain = trainTextClassifier(toy, { ...none, wordWeight: 1, epochs: 5, seed: 3 });
    const decayed = trainTextClassifier(toy, { ...none, wordWeight: 1, epochs: 5, seed: 3, l2: 0.1 });
    expect(sum(decayed)).toBeLessThan(sum(plain) * 0.95);
    expect(sum(decayed)).toBeGreaterThan(0);
  });

  it('learns the toy labels', () => {
    const m = trainTextClassifier(toy, { ...none, wordWeight: 1, seed: 1 });
    expect(predict(m, 'aa', 'en').label).toBe('x');
    expect(predict(m, 'bb', 'en').label).toBe('y');
    expect(predict(m, 'aa', 'en').confidence).toBeGreaterThan(0.9);
  });
});

describe('predict', () => {
  const handMade = (w: number): TextClassifier => ({
    algorithm: 'logreg',
    labels: ['a', 'c', 'b'],
    features: { ...none, wordWeight: 1 },
    vocabulary: new Map([['w:x', 0]]),
    weights: Float64Array.from([w, 0, 0]),
    bias: Float64Array.from([0, 0, 0.5]),
  });

  it('softmax of bias plus weights; equal scores rank by label', () => {
    // Scores (1, 0, 0) for a, c, b: b and c tie.
    const p = predict({ ...handMade(1), bias: Float64Array.from([0, 0, 0]) }, 'x', 'en');
    const z = Math.E + 2;
    expect(p.ranking.map((r) => r.label)).toEqual(['a', 'b', 'c']);
    [Math.E / z, 1 / z, 1 / z].forEach((x, i) => {
      expect(p.ranking[i].p).toBeCloseTo(x, 12);
    });
    expect(p.confidence).toBeCloseTo(Math.E / z, 12);
    // With the bias, (1, 0, 0.5).
    const q = predict(handMade(1), 'x', 'en');
    expect(q.ranking.map((r) => r.label)).toEqual(['a', 'b', 'c']);
    expect(q.ranking[1].p).toBeCloseTo(Math.exp(0.5) / (Math.E + Math.exp(0.5) + 1), 12);
    // An unknown word adds nothing: the bias decides.
    expect(predict(handMade(1), 'zzz', 'en').label).toBe('b');
  });

  it('stays finite for large scores', () => {
    const p = predict(handMade(1000), 'x', 'en');
    expect(p.label).toBe('a');
    expect(p.confidence).toBe(1);
    expect(p.ranking[2].p).toBe(0);
  });
});

describe('evaluation helpers: the edges', () => {
  it('no rows score 0, a label only ever predicted counts with F1 0', () => {
    expect(score([], [])).toEqual({ n: 0, accuracy: 0, macroF1: 0, perLabel: {} });
    const s = score(['a', 'a'], ['a', 'b']);
    expect(s.perLabel).toEqual({ a: 2 / 3, b: 0 });
    expect(s.macroF1).toBeCloseTo(1 / 3, 12);
    expect(s.accuracy).toBe(0.5);
    expect(s.n).toBe(2);
  });

  it('every (language, label) group gives at least one test row, and rows without a language group by label', () => {
    const rows = [
      { label: 'a', lang: 'en', id: 1 },
      { label: 'a', lang: 'es', id: 2 },
      { label: 'b', id: 3 },
      { label: 'b', id: 4 },
      { label: 'b', id: 5 },
      { label: 'b', id: 6 },
    ];
    const { train, test } = stratifiedSplit(rows, 0.25, 1);
    expect(test.map((r) => r.id).filter((id) => id <= 2)).toEqual([1, 2]);
    expect(test.filter((r) => r.label === 'b')).toHaveLength(1);
    expect(train.map((r) => r.id).sort()).toEqual([3, 4, 5, 6].filter((id) => !test.some((r) => r.id === id)));
  });
});
