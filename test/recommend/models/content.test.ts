import { describe, expect, it } from 'vitest';
import { ContentBased } from '../../../src/recommend/models/content.ts';
import { analyze, detectLanguage, stemEn, stemEs } from '../../../src/recommend/models/text.ts';

describe('text analysis', () => {
  it('stems English lightly', () => {
    // What matters is that word forms meet: each pair below must share a stem, and unrelated words must not.
    for (const [a, b] of [
      ['shoes', 'shoe'],
      ['running', 'run'],
      ['runs', 'run'],
      ['dresses', 'dress'],
      ['batteries', 'battery'],
      ['boxes', 'box'],
      ['played', 'play'],
      ['quickly', 'quick'],
    ]) {
      expect(stemEn(a), `${a} ~ ${b}`).toBe(stemEn(b));
    }
    expect(stemEn('shoe')).not.toBe(stemEn('show'));
  });
  it('stems Spanish lightly', () => {
    expect(stemEs('zapatillas')).toBe(stemEs('zapatilla'));
    expect(stemEs('rojas')).toBe(stemEs('rojo'));
    expect(stemEs('colores')).toBe(stemEs('color'));
    expect(stemEs('luces')).toBe('luz');
    expect(stemEs('canciones')).toBe(stemEs('cancion'));
    expect(stemEs('rapidamente')).toBe(stemEs('rapido'));
  });
  it('drops stop words and accents', () => {
    expect(analyze('The shoes for the road', 'en')).toEqual([stemEn('shoe'), stemEn('road')]);
    expect(analyze('Las canciones de la mañana', 'es')).toEqual([stemEs('canciones'), stemEs('manana')]);
  });
  it('detects English and Spanish', () => {
    expect(detectLanguage('the best shoes for running in the rain')).toBe('en');
    expect(detectLanguage('las mejores zapatillas para correr en la lluvia')).toBe('es');
    expect(detectLanguage('canción')).toBe('es');
  });
});

describe('content model (BM25)', () => {
  const docs = [
    { title: 'Trail running shoes', description: 'Grippy shoes for mountain trails', categories: ['Running'], tags: ['trail'] },
    { title: 'Road running shoe', description: 'Light and fast on asphalt', categories: ['Running'] },
    { title: 'Espresso machine', description: 'Fifteen bar pump, milk frother', categories: ['Coffee'] },
    { title: 'Zapatillas de trail rojas', description: 'Zapatillas para montaña', categories: ['Correr'], language: 'es' as const },
    { title: 'Cafetera italiana', description: 'Café para la mañana', categories: ['Café'], language: 'es' as const },
  ];
  const m = new ContentBased();
  m.fitText(docs);
  m.fit({ nUsers: 0, nItems: 6, users: new Int32Array(0), items: new Int32Array(0), weights: new Float32Array(0), times: new Float64Array(0) });

  it('ranks a text query with BM25, stemming the query', () => {
    const { scores } = m.query('trail shoe');
    expect(scores[0]).toBeGreaterThan(scores[1]);
    expect(scores[1]).toBeGreaterThan(0);
    expect(scores[2]).toBe(0);
    expect(Number.isNaN(scores[5])).toBe(true); // item 5 has no text
  });

  it('matches Spanish queries across plural and gender', () => {
    const { scores } = m.query('zapatilla roja');
    const best = scores.indexOf(Math.max(...[...scores].filter(Number.isFinite)));
    expect(best).toBe(3);
  });

  it('scores items by similarity to the history (cold items included)', () => {
    const { scores, because } = m.score(
      [
        { item: 2, weight: 1, time: 0 },
        { item: 0, weight: 1, time: 1 },
      ],
      2,
    );
    // Item 1 (running) is nearest to item 0; explained by history entry 1.
    const unseen = [1, 3, 4];
    const best = unseen.reduce((a, b) => (scores[b] > scores[a] ? b : a));
    expect(best).toBe(1);
    expect(because![1]).toBe(1);
  });

  it('finds similar items by cosine', () => {
    expect(m.similar(0, 2).items[0]).toBe(1);
    expect(m.similar(5, 2).items.length).toBe(0);
  });

  it('lists the query terms it knows', () => {
    expect(m.terms('running shoes for unicorns')).toEqual([stemEn('run'), stemEn('shoe')]);
  });
});
