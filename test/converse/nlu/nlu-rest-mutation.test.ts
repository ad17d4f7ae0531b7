// The survivors of the mutation run on concepts.ts, intents.ts, evaluate.ts and index.ts (issue 11). Every
// object a test checks is built inside its `it` (the concept index is cached per module, so each concept
// test imports a fresh module), and intent models are written by hand: a classifier with no features whose
// biases are the log-probabilities wanted, so each expected probability is a literal.
import { describe, expect, it, vi } from 'vitest';
import { score, stratifiedSplit, evaluateIntents } from '../../../src/converse/nlu/evaluate.ts';
import { createNlu, understand } from '../../../src/converse/nlu/index.ts';
import { classifyIntent, intentExamples, trainIntentModel, type IntentModel } from '../../../src/converse/nlu/intents.ts';
import { buildVocabulary } from '../../../src/converse/nlu/vocabulary.ts';
import { tokenize } from '../../../src/text/text.ts';

async function freshConcepts(): Promise<typeof import('../../../src/converse/nlu/concepts.ts').conceptsOf> {
  vi.resetModules();
  return (await import('../../../src/converse/nlu/concepts.ts')).conceptsOf;
}

const noFeatures = { charMin: 2, charMax: 2, wordWeight: 0, bigramWeight: 0, charWeight: 0, conceptWeight: 0 };

/** An intent model that gives every message the same logits (biases only, no features). */
function fixedModel(logits: Record<string, number>, threshold: number, oosPenalty: number): IntentModel {
  const labels = Object.keys(logits).sort();
  return {
    classifier: {
      algorithm: 'logreg',
      labels,
      features: noFeatures,
      vocabulary: new Map(),
      weights: new Float64Array(0),
      bias: Float64Array.from(labels.map((l) => logits[l])),
    },
    threshold,
    oosPenalty,
  };
}

/** The same, from probabilities. */
function probModel(ps: Record<string, number>, threshold = 0.3, oosPenalty = 0): IntentModel {
  return fixedModel(Object.fromEntries(Object.entries(ps).map(([k, p]) => [k, Math.log(p)])), threshold, oosPenalty);
}

describe('conceptsOf: the concept index', () => {
  it('every cue list is read: one English and one Spanish word of each concept', async () => {
    const conceptsOf = await freshConcepts();
    const cues: Array<[concept: string, en: string, es: string]> = [
      ['GREET', 'hello', 'hola'],
      ['THANKS', 'thanks', 'gracias'],
      ['BYE', 'goodbye', 'adiós'],
      ['YES', 'yeah', 'vale'],
      ['NO', 'nope', 'tampoco'],
      ['CHEAP', 'affordable', 'barato'],
      ['PRICEY', 'expensive', 'costoso'],
      ['PRICE', 'price', 'precio'],
      ['MORE', 'another', 'otro'],
      ['COMPARE', 'compare', 'comparar'],
      ['ORDINAL', 'second', 'segundo'],
      ['QUESTION_DETAIL', 'battery', 'batería'],
      ['CART', 'cart', 'carrito'],
      ['BUY', 'purchase', 'comprar'],
      ['SEARCH', 'looking', 'busco'],
      ['ORDER', 'parcel', 'paquete'],
      ['RETURN', 'refund', 'reembolso'],
      ['SHIP', 'shipping', 'envío'],
      ['LIKE', 'love', 'encanta'],
      ['BRIEF', 'concise', 'breve'],
      ['DETAIL', 'detailed', 'detalles'],
      ['FORMALITY', 'formal', 'usted'],
      ['STYLE_WORDS', 'jargon', 'tecnicismos'],
      ['HUMAN', 'human', 'humano'],
      ['CONTACT', 'phone', 'teléfono'],
      ['DATA', 'data', 'datos'],
      ['FORGET', 'forget', 'olvidar'],
      ['KNOW', 'remember', 'recuerdas'],
      ['WHY', 'why', 'razón'],
      ['HELP', 'help', 'ayuda'],
      ['SELF', 'bot', 'asistente'],
      ['WEATHER', 'weather', 'lluvia'],
      ['TRIVIA', 'president', 'presidente'],
      ['MATH', 'plus', 'ecuación'],
      ['ERRAND', 'alarm', 'alarma'],
    ];
    for (const [concept, en, es] of cues) {
      // As the classifier calls it: on the message's tokens (folded, so "adiós" is "adios").
      expect(conceptsOf(tokenize(en), 'en'), en).toContain(concept);
      expect(conceptsOf(tokenize(es), 'es'), es).toContain(concept);
    }
  });

  it('two-word forms count as a pair, with the English stems in English and the Spanish ones in Spanish', async () => {
    const conceptsOf = await freshConcepts();
    // "flip flops": stemEn gives flip_flop, stemEs flip_flops; neither word alone is a cue.
    expect(conceptsOf(['flip', 'flops'], 'en')).toEqual(['PRODUCT']);
    expect(conceptsOf(['flip', 'flops'], 'es')).toEqual(['PRODUCT']);
    expect(conceptsOf(['flip'], 'en')).toEqual([]);
    expect(conceptsOf(['flops'], 'es')).toEqual([]);
  });

  it('forms of three words or more add neither words nor pairs', async () => {
    const conceptsOf = await freshConcepts();
    // "funda de móvil", "active noise cancellation", "pots and pans" are listed; their first two words are not.
    expect(conceptsOf(['funda', 'de'], 'es')).toEqual([]);
    expect(conceptsOf(['active', 'noise'], 'en')).toEqual([]);
    expect(conceptsOf(['pots', 'and'], 'en')).toEqual([]);
  });

  it('product types, colours, features and brands of both languages are concepts of their own', async () => {
    const conceptsOf = await freshConcepts();
    expect(conceptsOf(['headphones'], 'en')).toEqual(['PRODUCT']);
    expect(conceptsOf(['auriculares'], 'es')).toEqual(['PRODUCT']);
    expect(conceptsOf(['red'], 'en')).toEqual(['COLOUR']);
    expect(conceptsOf(['rojo'], 'es')).toEqual(['COLOUR']);
    expect(conceptsOf(['waterproof'], 'en')).toEqual(['QUESTION_DETAIL', 'FEATURE']);
    expect(conceptsOf(['nike'], 'en')).toEqual(['BRAND']);
    expect(conceptsOf(['hola', 'gracias'], 'es')).toEqual(['GREET', 'THANKS']);
  });
});

describe('classifyIntent: the out_of_scope damping and the ranking', () => {
  it('the penalty divides out_of_scope by e^penalty and the ranking is re-sorted after it', () => {
    // Raw: out_of_scope .5, greet .45, help .05; e^-ln2 = 1/2: out_of_scope .25, total .75.
    const r = classifyIntent(probModel({ out_of_scope: 0.5, greet: 0.45, help: 0.05 }, 0.3, Math.LN2), 'hello', 'en');
    expect(r.intent).toBe('greet');
    expect(r.confidence).toBeCloseTo(0.6, 12);
    expect(r.ranking.map((q) => q.intent)).toEqual(['greet', 'out_of_scope', 'help']);
    expect(r.ranking.map((q) => q.p)).toEqual([expect.closeTo(0.6, 12), expect.closeTo(1 / 3, 12), expect.closeTo(1 / 15, 12)]);
  });

  it('equal probabilities rank by intent name, out_of_scope included', () => {
    // Raw: out_of_scope 1/2, greet 1/4, help 1/4; halved, out_of_scope ties with both (exactly: powers of two).
    const r = classifyIntent(fixedModel({ out_of_scope: 0, greet: -Math.LN2, help: -Math.LN2 }, 0.3, Math.LN2), 'hello', 'en');
    expect(r.ranking).toEqual([
      { intent: 'greet', p: 1 / 3 },
      { intent: 'help', p: 1 / 3 },
      { intent: 'out_of_scope', p: 1 / 3 },
    ]);
    expect(r.intent).toBe('greet');
  });
});

describe('classifyIntent: when the answer is out_of_scope, and how sure', () => {
  it('an empty message is out_of_scope however sure the classifier is, with 1 − the best p', () => {
    const r = classifyIntent(probModel({ greet: 0.8, help: 0.1, out_of_scope: 0.1 }), '  ', 'en');
    expect(r.intent).toBe('out_of_scope');
    expect(r.confidence).toBeCloseTo(0.2, 12);
    expect(r.ranking[0].intent).toBe('greet');
  });

  it('below the threshold: out_of_scope, sure to 1 − the best p (not the out_of_scope p)', () => {
    const r = classifyIntent(probModel({ greet: 0.25, help: 0.2, refine: 0.2, recommend: 0.2, out_of_scope: 0.15 }), 'hmm', 'en');
    expect(r.intent).toBe('out_of_scope');
    expect(r.confidence).toBeCloseTo(0.75, 12);
  });

  it('out_of_scope ranked first: its own p, even under a half', () => {
    const r = classifyIntent(probModel({ out_of_scope: 0.4, greet: 0.35, help: 0.25 }), 'hmm', 'en');
    expect(r.intent).toBe('out_of_scope');
    expect(r.confidence).toBeCloseTo(0.4, 12);
  });

  it('a best p equal to the threshold is enough', () => {
    const ps = { greet: 0.5, help: 0.3, out_of_scope: 0.2 };
    const top = classifyIntent(probModel(ps, 0), 'hello', 'en').ranking[0].p;
    expect(top).toBeCloseTo(0.5, 12);
    const r = classifyIntent(probModel(ps, top), 'hello', 'en');
    expect(r).toMatchObject({ intent: 'greet', confidence: top });
  });

  it('the confidence is the larger of the out_of_scope p and 1 − the best p, to the last bit', () => {
    // Two labels: the out_of_scope p and 1 − the best p are the same number but for rounding; with these
    // logits the out_of_scope p is one unit in the last place above 1 − the best p, and is the answer.
    const r = classifyIntent(fixedModel({ greet: 0, out_of_scope: -0.495 }, 2, 0), 'hello', 'en');
    const oos = r.ranking[1];
    expect(oos.intent).toBe('out_of_scope');
    expect(oos.p).toBe(0.37871640480893215);
    expect(1 - r.ranking[0].p).toBe(0.3787164048089321);
    expect(r).toMatchObject({ intent: 'out_of_scope', confidence: 0.37871640480893215 });
  });
});

describe('stratifiedSplit and score: order and edges', () => {
  it('splits per (language, label) group, the groups taken in sorted order', () => {
    const b = { text: 'b1', lang: 'en', label: 'b' };
    const a = [1, 2, 3].map((i) => ({ text: `a${i}`, lang: 'en', label: 'a' }));
    // a: 3 rows, round(1.5) = 2 for test; b: 1 row, at least 1 for test. One pooled group would give 2.
    const { train, test } = stratifiedSplit([b, ...a], 0.5, 7);
    expect(test).toHaveLength(3);
    expect(test.slice(0, 2).map((e) => e.label)).toEqual(['a', 'a']);
    expect(test[2]).toBe(b);
    expect(train).toHaveLength(1);
    expect(train[0].label).toBe('a');
  });

  it('the same label in two languages is two groups', () => {
    const es = { text: 'x', lang: 'es', label: 'a' };
    const en = [1, 2, 3].map((i) => ({ text: `e${i}`, lang: 'en', label: 'a' }));
    const { test } = stratifiedSplit([es, ...en], 0.5, 7);
    expect(test).toHaveLength(3);
    expect(test[2]).toBe(es);
  });

  it('per-label F1 is listed in label order', () => {
    const s = score(['b', 'a', 'b'], ['b', 'a', 'a']);
    expect(Object.keys(s.perLabel)).toEqual(['a', 'b']);
    // a: tp 1, fp 1 → 2/3; b: tp 1, fn 1 → 2/3.
    expect(s.perLabel.a).toBeCloseTo(2 / 3, 12);
    expect(s.perLabel.b).toBeCloseTo(2 / 3, 12);
  });

  it('a label seen only among predictions past the gold rows scores 0, not NaN', () => {
    const s = score(['a'], ['a', 'z']);
    expect(s.perLabel).toEqual({ a: 1, z: 0 });
    expect(s.macroF1).toBe(0.5);
    expect(s.accuracy).toBe(1);
  });
});

describe('evaluateIntents: options, languages and errors', () => {
  it('trains with the options given on the training part, scores each language apart and lists every miss', () => {
    // A threshold of 2 makes every answer out_of_scope: the expectations follow from the split alone.
    const ev = evaluateIntents(3, 0.25, { threshold: 2, epochs: 1 });
    const { train, test } = stratifiedSplit(intentExamples(), 0.25, 3);
    const en = test.filter((e) => e.lang === 'en');
    const es = test.filter((e) => e.lang === 'es');
    const oos = (rows: typeof test) => rows.filter((e) => e.label === 'out_of_scope').length;
    expect(ev.trainExamples).toBe(train.length);
    expect(en.length).toBeGreaterThan(0);
    expect(es.length).toBeGreaterThan(0);
    expect([ev.en.n, ev.es.n, ev.all.n]).toEqual([en.length, es.length, test.length]);
    expect(ev.en.accuracy).toBeCloseTo(oos(en) / en.length, 12);
    expect(ev.es.accuracy).toBeCloseTo(oos(es) / es.length, 12);
    expect(ev.all.accuracy).toBeCloseTo(oos(test) / test.length, 12);
    expect(oos(test)).toBeGreaterThan(0);
    expect(ev.errors.map((e) => [e.text, e.lang, e.gold, e.predicted])).toEqual(
      test.filter((e) => e.label !== 'out_of_scope').map((e) => [e.text, e.lang, e.label, 'out_of_scope']),
    );
  });
});

describe('createNlu and understand: the seed and the fallback to the slots', () => {
  it('createNlu trains with the seed it is given', () => {
    // The seed orders the SGD steps: on a few phrases, seeds 1 and 2 give different weights.
    const examples = ['hi there', 'hello', 'thanks a lot', 'thank you', 'bye now', 'goodbye'].map((text, i) => ({
      text,
      lang: 'en' as const,
      label: ['greet', 'thanks', 'bye'][i >> 1],
    }));
    const nlu = createNlu([], { seed: 2, epochs: 1, examples });
    expect(nlu.model.classifier.weights).toEqual(trainIntentModel(2, { epochs: 1, examples }).classifier.weights);
    expect(nlu.model.classifier.weights).not.toEqual(trainIntentModel(1, { epochs: 1, examples }).classifier.weights);
  });

  it('a message the classifier ranks out_of_scope first stays out_of_scope, shopping words or not', () => {
    const nlu = { model: probModel({ out_of_scope: 0.5, recommend: 0.3, refine: 0.2 }), vocabulary: buildVocabulary([]) };
    const u = understand(nlu, 'under 50 euros', { previousLanguage: 'en' });
    expect(u.slots.budget).toEqual({ max: 50, currency: 'EUR' });
    expect(u).toMatchObject({ intent: 'out_of_scope', fromSlots: false });
  });

  it('a sure in-scope answer is kept with shopping words, and an unsure one without them stays out_of_scope', () => {
    const vocabulary = buildVocabulary([]);
    const sure = understand({ model: probModel({ compare: 0.7, recommend: 0.2, out_of_scope: 0.1 }), vocabulary }, 'under 50 euros', {
      previousLanguage: 'en',
    });
    expect(sure).toMatchObject({ intent: 'compare', fromSlots: false });
    const model = probModel({ greet: 0.25, help: 0.2, out_of_scope: 0.2, recommend: 0.2, refine: 0.15 });
    const unsure = understand({ model, vocabulary }, 'hmm', { previousLanguage: 'en' });
    expect(unsure).toMatchObject({ intent: 'out_of_scope', fromSlots: false });
  });

  it('unsure, with shopping words: recommend or refine, whichever ranks higher', () => {
    const vocabulary = buildVocabulary([]);
    const base = { greet: 0.25, help: 0.2, out_of_scope: 0.2 };
    const rec = understand({ model: probModel({ ...base, recommend: 0.2, refine: 0.15 }), vocabulary }, 'under 50 euros', { previousLanguage: 'en' });
    expect(rec).toMatchObject({ intent: 'recommend', fromSlots: true });
    expect(rec.confidence).toBeCloseTo(0.2, 12);
    const ref = understand({ model: probModel({ ...base, refine: 0.2, recommend: 0.15 }), vocabulary }, 'under 50 euros', { previousLanguage: 'en' });
    expect(ref).toMatchObject({ intent: 'refine', fromSlots: true });
    expect(ref.confidence).toBeCloseTo(0.2, 12);
  });
});
