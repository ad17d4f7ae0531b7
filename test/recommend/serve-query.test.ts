import { describe, expect, it } from 'vitest';
import { fastRecommendationQuery } from '../../src/recommend/routes.ts';
import { RecommendationQuery } from '../../src/recommend/schemas.ts';
import { mulberry32 } from '../../src/stats/random.ts';

/** The project's seeded generator, straight from the seed, so a failure names a case that comes back. */
const rng = (seed: number) => mulberry32(seed);

const ids: unknown[] = [
  'u1',
  'ana',
  'x'.repeat(256),
  'x'.repeat(257),
  '',
  'anon:carol',
  'anon',
  'a\u0000b',
  'tab\there',
  'del\u007f',
  'ñandú 🛒',
  'é',
  ' ',
  '\u0080',
  12,
  null,
  ['u1'],
  ['u1', 'u2'],
  {},
  true,
];
const ns: unknown[] = [
  1,
  10,
  100,
  0,
  101,
  -1,
  1.5,
  50.0,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '10',
  '1',
  '100',
  '010',
  '101',
  '0',
  ' 10',
  '1e1',
  '',
  'ten',
  '5.0',
  null,
  [10],
  true,
];
const contexts: unknown[] = ['home', 'item', 'cart', 'search', 'email', 'chat', 'HOME', '', 'other', 3, null, ['home']];
const others: Array<[string, unknown[]]> = [
  ['category', ['shoes', '']],
  ['present', ['true', 'no']],
  ['excludeSeen', ['1']],
  ['minPrice', ['5', 5]],
  ['model', ['ease']],
  ['strategy', ['popular']],
  ['surprise', ['x']],
];

function generated(count: number, seed: number): Array<Record<string, unknown>> {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const out: Array<Record<string, unknown>> = [];
  for (let k = 0; k < count; k++) {
    const q: Record<string, unknown> = {};
    // Keys in a shuffled order: the answer's order must still be the schema's.
    const keys: Array<[string, unknown[]]> = [
      ['userId', ids],
      ['anonymousId', ids],
      ['n', ns],
      ['context', contexts],
      ['itemId', ids],
    ];
    keys.sort(() => r() - 0.5);
    for (const [key, pool] of keys) if (r() < 0.5) q[key] = pick(pool);
    if (r() < 0.15) {
      const [key, pool] = pick(others);
      q[key] = pick(pool);
    }
    if (r() < 0.03) q[pick(keys)[0]] = undefined;
    out.push(q);
  }
  return out;
}

describe('the recommendation query, checked by hand', () => {
  it('answers as zod does, keys in the same order, wherever it answers', () => {
    let answered = 0;
    let zodValid = 0;
    for (const q of generated(20_000, 13)) {
      const fast = fastRecommendationQuery(q);
      const z = RecommendationQuery.safeParse(q);
      if (z.success) zodValid++;
      if (fast === undefined) continue;
      answered++;
      expect(z.success, JSON.stringify(q)).toBe(true);
      expect(fast, JSON.stringify(q)).toStrictEqual(z.data);
      expect(Object.keys(fast)).toEqual(Object.keys(z.data as object));
    }
    // The point of it: most valid queries of the usual shape are answered without zod.
    expect(answered).toBeGreaterThan(zodValid * 0.6);
  });

  it('answers the usual queries, Fastify-coerced or raw, and leaves the rest to zod', () => {
    const usual = [
      { userId: 'ana', n: 10, context: 'home' },
      { anonymousId: 'v-1', n: '24', context: 'item', itemId: 'sku-9' },
      {},
      { userId: 'x'.repeat(256) },
    ];
    for (const q of usual) expect(fastRecommendationQuery(q), JSON.stringify(q)).toStrictEqual(RecommendationQuery.parse(q));
    for (const q of [{ userId: 'anon:x' }, { n: 0 }, { context: 'nowhere' }, { category: 'shoes' }, { itemId: 'x'.repeat(257) }, null, 'userId=a', [{}]]) {
      expect(fastRecommendationQuery(q), JSON.stringify(q)).toBeUndefined();
    }
  });
});
