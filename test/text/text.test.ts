import { describe, expect, it } from 'vitest';
import { STOPWORDS, analyze, fold, normalize, stem, tokenize, tokenizeWithOffsets } from '../../src/text/text.ts';

describe('normalize', () => {
  it('lower-cases and folds accents, keeping the original and the offsets', () => {
    const n = normalize('¿Tenéis AURICULARES de Ñandú?');
    expect(n.original).toBe('¿Tenéis AURICULARES de Ñandú?');
    expect(n.lower).toBe('¿tenéis auriculares de ñandú?');
    expect(n.folded).toBe('¿teneis auriculares de nandu?');
    expect(n.folded.length).toBe(n.original.length);
  });
  it('composes decomposed input first', () => {
    expect(fold('Cancio\u0301n')).toBe('cancion');
  });
});

describe('tokenize', () => {
  it('splits words, drops punctuation and apostrophes', () => {
    expect(tokenize("I don't like it: 59,99€!")).toEqual(['i', 'dont', 'like', 'it', '59', '99']);
    expect(tokenize('¿Qué tal, señora?')).toEqual(['que', 'tal', 'senora']);
  });
  it('gives offsets into the original text', () => {
    const [t] = tokenizeWithOffsets('  Canción');
    expect(t).toEqual({ norm: 'cancion', raw: 'Canción', start: 2, end: 9 });
  });
});

describe('stem', () => {
  it('conflates English inflections', () => {
    const same = [
      ['headphones', 'headphone'],
      ['running', 'run'],
      ['cheaper', 'cheap'],
      ['ordered', 'order'],
      ['batteries', 'battery'],
      ['boxes', 'box'],
      ['shipping', 'ship'],
      ['likes', 'like'],
    ];
    for (const [a, b] of same) expect(stem(a, 'en'), `${a} ~ ${b}`).toBe(stem(b, 'en'));
    expect(stem('glass', 'en')).toBe('glass');
    expect(stem('red', 'en')).toBe('red');
  });
  it('conflates Spanish plurals and genders', () => {
    const same = [
      ['zapatillas', 'zapatilla'],
      ['auriculares', 'auricular'],
      ['barato', 'baratas'],
      ['rojo', 'rojas'],
      ['colores', 'color'],
      ['luces', 'luz'],
      ['grandes', 'grande'],
      ['envíos', 'envio'],
    ];
    for (const [a, b] of same) expect(stem(fold(a), 'es'), `${a} ~ ${b}`).toBe(stem(fold(b), 'es'));
    expect(stem('azul', 'es')).toBe('azul');
  });
  it('leaves numbers and short words alone', () => {
    expect(stem('42', 'en')).toBe('42');
    expect(stem('mas', 'es')).toBe('mas');
  });
});

describe('stop words and analyze', () => {
  it('has both languages, folded', () => {
    expect(STOPWORDS.en.has('the')).toBe(true);
    expect(STOPWORDS.es.has('tambien')).toBe(true);
    expect(STOPWORDS.es.has('también')).toBe(false);
  });
  it('produces index terms for a retrieval model', () => {
    expect(analyze('Las zapatillas rojas para correr', 'es')).toEqual(['zapatill', 'roj', 'correr']);
    expect(analyze('The red running shoes', 'en')).toEqual(['red', 'run', 'sho']);
  });
});
