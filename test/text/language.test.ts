import { describe, expect, it } from 'vitest';
import { chooseLanguage, detectLanguage } from '../../src/text/language.ts';
import { SHORT_MESSAGES } from '../converse/nlu/fresh-phrases.ts';

describe('detectLanguage', () => {
  it('gets at least 95% of short English and Spanish chat messages right', () => {
    const wrong = SHORT_MESSAGES.filter((m) => detectLanguage(m.text).language !== m.lang);
    expect(SHORT_MESSAGES.length).toBeGreaterThanOrEqual(120);
    expect(1 - wrong.length / SHORT_MESSAGES.length, JSON.stringify(wrong)).toBeGreaterThanOrEqual(0.95);
  });
  it('is confident on the one-word classics', () => {
    for (const [text, lang] of [
      ['hola', 'es'],
      ['hi', 'en'],
      ['barato', 'es'],
      ['cheaper', 'en'],
      ['gracias', 'es'],
      ['auriculares para correr', 'es'],
      ['thanks', 'en'],
    ] as const) {
      const g = detectLanguage(text);
      expect(g.language, text).toBe(lang);
      expect(g.confidence, text).toBeGreaterThan(0.8);
    }
  });
  it('uses Spanish punctuation and letters', () => {
    expect(detectLanguage('¿Sony?').language).toBe('es');
    expect(detectLanguage('ñ').language).toBe('es');
  });
  it('is unsure on words both languages share', () => {
    for (const text of ['ok', 'Sony', '42', '', 'perfume']) expect(detectLanguage(text).confidence, text).toBeLessThan(0.8);
  });
});

describe('chooseLanguage', () => {
  it('keeps the previous language when the detection is weak', () => {
    expect(chooseLanguage(detectLanguage('ok'), 'es')).toBe('es');
    expect(chooseLanguage(detectLanguage('Sony'), 'en')).toBe('en');
    expect(chooseLanguage(detectLanguage('42'), 'es')).toBe('es');
  });
  it('switches when the person clearly changes language', () => {
    expect(chooseLanguage(detectLanguage('can you show me something cheaper?'), 'es')).toBe('en');
    expect(chooseLanguage(detectLanguage('mejor en español, por favor'), 'en')).toBe('es');
  });
  it('takes the detection when there is no history', () => {
    expect(chooseLanguage(detectLanguage('gracias'))).toBe('es');
  });
});
