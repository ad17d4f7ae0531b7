import { describe, expect, it } from 'vitest';
import { evaluateIntents, score, stratifiedSplit } from '../../../src/converse/nlu/evaluate.ts';
import { INTENTS, PHRASES, classifyIntent, intentExamples, trainIntentModel } from '../../../src/converse/nlu/intents.ts';
import { fold } from '../../../src/text/text.ts';
import { FRESH } from './fresh-phrases.ts';

const model = trainIntentModel(7);

describe('shipped phrases', () => {
  it('has at least 40 phrases per intent and language, without duplicates', () => {
    for (const lang of ['en', 'es'] as const) {
      for (const intent of INTENTS) {
        const list = PHRASES[lang][intent];
        expect(list.length, `${lang} ${intent}`).toBeGreaterThanOrEqual(40);
        expect(new Set(list.map(fold)).size, `${lang} ${intent} duplicates`).toBe(list.length);
      }
    }
  });
});

describe('intent classifier', () => {
  // Training time is measured by bench/nlu.ts (`trainMs`), not asserted here, and the tests that train
  // name a long timeout: under mutation testing the instrumented classifier trains ~60× slower (19 s of
  // CPU), and Stryker's initial run stops at the first test over a time limit.
  it('is deterministic for a seed', () => {
    // A tenth of the phrases shows it as well as all of them, at a tenth of the cost.
    const examples = intentExamples().filter((_, i) => i % 10 === 0);
    const a = trainIntentModel(11, { examples });
    const b = trainIntentModel(11, { examples });
    expect(Buffer.from(a.classifier.weights.buffer).equals(Buffer.from(b.classifier.weights.buffer))).toBe(true);
    expect([...a.classifier.bias]).toEqual([...b.classifier.bias]);
    const c = trainIntentModel(12, { examples });
    expect(Buffer.from(a.classifier.weights.buffer).equals(Buffer.from(c.classifier.weights.buffer))).toBe(false);
  }, 600_000);

  it('scores above 78% accuracy and macro-F1 on held-out phrases in each language (mean of 3 splits)', () => {
    const runs = [1, 2, 3].map((s) => evaluateIntents(s, 0.25));
    for (const lang of ['en', 'es'] as const) {
      const acc = runs.reduce((a, r) => a + r[lang].accuracy, 0) / runs.length;
      const f1 = runs.reduce((a, r) => a + r[lang].macroF1, 0) / runs.length;
      expect(acc, `${lang} accuracy`).toBeGreaterThan(0.78);
      expect(f1, `${lang} macro-F1`).toBeGreaterThan(0.78);
      expect(runs[0][lang].n).toBeGreaterThan(250);
    }
  }, 600_000);

  it('gets at least 90% of separately written messages right in each language', () => {
    const train = new Set(intentExamples().map((e) => fold(e.text)));
    for (const lang of ['en', 'es'] as const) {
      const rows = FRESH.filter((f) => f.lang === lang);
      for (const r of rows) expect(train.has(fold(r.text)), r.text).toBe(false);
      const wrong = rows.filter((r) => classifyIntent(model, r.text, r.lang).intent !== r.intent);
      expect(1 - wrong.length / rows.length, JSON.stringify(wrong)).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('understands the examples from the brief', () => {
    const cases: Array<[string, 'en' | 'es', string]> = [
      ['forget me', 'en', 'privacy_forget'],
      ['olvídame', 'es', 'privacy_forget'],
      ['no quiero recomendaciones personalizadas', 'es', 'privacy_forget'],
      ['what do you know about me?', 'en', 'privacy_what_you_know'],
      ['háblame de tú', 'es', 'tone_request'],
      ['trátame de usted', 'es', 'tone_request'],
      ['be brief', 'en', 'tone_request'],
      ['cheaper', 'en', 'refine'],
      ['más barato', 'es', 'refine'],
      ['hola', 'es', 'greet'],
      ['gracias', 'es', 'thanks'],
    ];
    for (const [text, lang, intent] of cases) expect(classifyIntent(model, text, lang).intent, text).toBe(intent);
  });

  it('answers out_of_scope for weather, jokes, politics and maths', () => {
    const cases: Array<[string, 'en' | 'es']> = [
      ['is it going to be windy in Valencia tomorrow?', 'en'],
      ['do you know any good jokes?', 'en'],
      ['who should I vote for?', 'en'],
      ['what is 12 squared?', 'en'],
      ['¿mañana hará viento en Valencia?', 'es'],
      ['¿te sabes algún chiste bueno?', 'es'],
      ['¿a quién debería votar?', 'es'],
      ['¿cuánto es 12 al cuadrado?', 'es'],
    ];
    let ok = 0;
    for (const [text, lang] of cases) if (classifyIntent(model, text, lang).intent === 'out_of_scope') ok++;
    expect(ok).toBeGreaterThanOrEqual(6);
  });

  it('returns out_of_scope when it is unsure, and a full ranking', () => {
    const strict = { ...model, threshold: 0.99 };
    const r = classifyIntent(strict, 'hmm', 'en');
    expect(r.intent).toBe('out_of_scope');
    expect(r.ranking).toHaveLength(INTENTS.length);
    expect(r.ranking.reduce((a, x) => a + x.p, 0)).toBeCloseTo(1, 6);
    expect(classifyIntent(model, '   ', 'en').intent).toBe('out_of_scope');
  });
});

describe('evaluation helpers', () => {
  it('splits each language and label the same way for a seed', () => {
    const ex = intentExamples();
    const a = stratifiedSplit(ex, 0.25, 5);
    const b = stratifiedSplit(ex, 0.25, 5);
    expect(a.test.map((e) => e.text)).toEqual(b.test.map((e) => e.text));
    expect(a.train.length + a.test.length).toBe(ex.length);
    const greetEsTest = a.test.filter((e) => e.lang === 'es' && e.label === 'greet').length;
    expect(greetEsTest).toBe(Math.round(PHRASES.es.greet.length * 0.25));
  });
  it('computes accuracy and macro-F1', () => {
    const s = score(['a', 'a', 'b', 'b'], ['a', 'b', 'b', 'b']);
    expect(s.accuracy).toBe(0.75);
    expect(s.perLabel.a).toBeCloseTo(2 / 3, 10);
    expect(s.perLabel.b).toBeCloseTo(0.8, 10);
    expect(s.macroF1).toBeCloseTo((2 / 3 + 0.8) / 2, 10);
  });
});
