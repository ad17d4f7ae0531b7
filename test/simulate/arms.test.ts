import { describe, expect, it } from 'vitest';
import { pageQuery, parseArms, randomPage, strategyOf, trainingFor, workspaceFor } from '../../src/simulate/arms.ts';
import { generateCatalog } from '../../src/simulate/catalog.ts';
import type { DeclaredTraits } from '../../src/simulate/population.ts';

const traits: DeclaredTraits = { name: 'Ana', language: 'es', ageBand: '25-34', location: 'Sevilla', interest: 'sport' };
const query = (path: string | null) => Object.fromEntries(new URL(path!, 'http://x').searchParams);

describe('arms', () => {
  it('parses --arms, refusing unknown ones and keeping the order given', () => {
    expect(parseArms('segment, personalized,segment')).toEqual(['segment', 'personalized']);
    expect(() => parseArms('segment,clever')).toThrow(/unknown arm "clever"/);
    expect(() => parseArms(' , ')).toThrow(/at least one/);
  });

  it('asks with ?strategy= when the engine takes it', () => {
    for (const arm of ['random', 'popular', 'segment', 'personalized'] as const) {
      expect(query(pageQuery(arm, 'u-1', 10, traits, true))).toEqual({ userId: 'u-1', n: '10', context: 'home', strategy: arm });
    }
    // The chat arm's pages (the visits the assistant does not serve) are the personalized ones.
    expect(strategyOf('personalized+chat')).toBe('personalized');
    expect(query(pageQuery('personalized+chat', 'u-1', 10, traits, true))).toEqual({ userId: 'u-1', n: '10', context: 'home', strategy: 'personalized' });
    expect(query(pageQuery('personalized+chat', 'u-1', 10, traits, false))).toEqual({ userId: 'u-1', n: '10', context: 'home' });
  });

  it('names each world a workspace id the API takes', () => {
    expect(workspaceFor('sim-7', 'personalized+chat')).toBe('sim-7-personalized-chat');
    expect(workspaceFor('sim-7', 'segment')).toBe('sim-7-segment');
    expect(parseArms('personalized+chat')).toEqual(['personalized+chat']);
  });

  it('asks the older way otherwise: the popularity model, the best sellers of the stated interest, the default path', () => {
    expect(query(pageQuery('popular', 'u-1', 10, traits, false))).toEqual({ userId: 'u-1', n: '10', context: 'home', model: 'popularity' });
    expect(query(pageQuery('segment', 'u-1', 10, traits, false))).toEqual({ userId: 'u-1', n: '10', context: 'home', model: 'popularity', category: 'sport' });
    expect(query(pageQuery('personalized', 'u-1', 10, traits, false))).toEqual({ userId: 'u-1', n: '10', context: 'home' });
    expect(pageQuery('random', 'u-1', 10, traits, false)).toBeNull();
  });

  it('draws a random page of distinct available items, the same within a day for a shopper', () => {
    const catalog = generateCatalog({ seed: 3, size: 120 });
    const page = randomPage(catalog, 10, 3, 'u-1', 4);
    expect(new Set(page.map((i) => i.id)).size).toBe(10);
    expect(page.every((i) => i.available !== false)).toBe(true);
    expect(randomPage(catalog, 10, 3, 'u-1', 4)).toEqual(page);
    expect(randomPage(catalog, 10, 3, 'u-1', 5)).not.toEqual(page);
  });

  it('trains what each arm serves from', () => {
    expect(trainingFor('random')).toBeNull();
    expect(trainingFor('popular')).toEqual({ model: 'popularity' });
    expect(trainingFor('personalized')).toEqual({});
    expect(trainingFor('personalized+chat')).toEqual({});
  });
});
