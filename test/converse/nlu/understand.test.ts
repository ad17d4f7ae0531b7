import { describe, expect, it } from 'vitest';
import { createNlu, understand } from '../../../src/converse/nlu/index.ts';

const nlu = createNlu(
  [
    { categories: ['Headphones'], tags: ['wireless'], attributes: { brand: 'Sony', colour: 'black' } },
    { categories: ['Running shoes'], tags: ['running'], attributes: { brand: 'Nike', colour: 'red' } },
  ],
  { seed: 1 },
);

describe('understand', () => {
  it('puts language, intent and slots together', () => {
    const u = understand(nlu, 'busco auriculares para correr de menos de 60 €');
    expect(u.language).toBe('es');
    expect(u.intent).toBe('recommend');
    expect(u.slots).toMatchObject({ category: 'Headphones', use: 'running', budget: { max: 60, currency: 'EUR' } });
    expect(u.fromSlots).toBe(false);
  });

  it('keeps the conversation language on ambiguous messages', () => {
    const u = understand(nlu, 'Sony', { previousLanguage: 'es' });
    expect(u.language).toBe('es');
    expect(u.slots.brand).toBe('Sony');
  });

  it('turns an unsure out_of_scope into a shopping intent when the message names shoppable things', () => {
    const strict = { ...nlu, model: { ...nlu.model, threshold: 0.99 } };
    const u = understand(strict, 'Sony, under 50 euros', { previousLanguage: 'en' });
    expect(['recommend', 'refine']).toContain(u.intent);
    expect(u.fromSlots).toBe(true);
    expect(understand(strict, 'what is the capital of France?').intent).toBe('out_of_scope');
  });

  it('is deterministic', () => {
    const a = createNlu([], { seed: 4 });
    const b = createNlu([], { seed: 4 });
    for (const text of ['cheaper please', 'olvídame', 'compare the first two']) {
      expect(understand(a, text)).toEqual(understand(b, text));
    }
  }, 600_000); // two trainings: slow under mutation testing (see intents.test.ts)
});

describe('understand: which slots make a message shoppable', () => {
  const shop = createNlu([{ categories: ['Headphones'], attributes: { brand: 'Sony', colour: 'black' } }, { categories: ['Garden'] }], { seed: 1 });
  // A threshold no probability reaches: every in-scope answer becomes out_of_scope, and the slots decide.
  const unsure = { ...shop, model: { ...shop.model, threshold: 1.01 } };

  it("each slot alone turns the unsure answer into recommend or refine, at that intent's probability", () => {
    const messages = [
      'kettle please', // product type
      'garden please', // category
      'Sony please',
      'in black please',
      'under 50 euros please',
      'for running please',
      'size M please',
      'sporty please',
      'cheaper please',
      'another colour please',
      'waterproof please', // tags
      'not Sony please',
      'not black please',
      'no kettles please',
      'not waterproof please',
    ];
    for (const text of messages) {
      const u = understand(unsure, text, { previousLanguage: 'en' });
      expect(u.fromSlots, text).toBe(true);
      expect(['recommend', 'refine'], text).toContain(u.intent);
      expect(u.confidence, text).toBe(u.ranking.find((r) => r.intent === u.intent)!.p);
    }
  });

  it('nothing shoppable stays out_of_scope', () => {
    const u = understand(unsure, 'hmm okay then', { previousLanguage: 'en' });
    expect(u.intent).toBe('out_of_scope');
    expect(u.fromSlots).toBe(false);
    expect(u.detected.language).toBe('en');
    expect(u.text).toBe('hmm okay then');
  });
});
