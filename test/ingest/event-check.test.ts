import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, EventInput } from '../../src/domain/schemas.ts';
import { plainEvent } from '../../src/ingest/event-check.ts';

/**
 * The fast path beside zod (issue 13): whatever it accepts, EventInput accepts with the same fields;
 * and it does accept the common shapes, or it would save nothing.
 */

/** Mostly good values, sometimes one near or past a limit, so that both sides of every check come up. */
const mostly = <T, U>(good: fc.Arbitrary<T>, edge: fc.Arbitrary<U>) => fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: edge, weight: 1 });
const idLike = mostly(
  fc.constantFrom('a', 'user-1', 'ok id', 'ümlaut', 'x'.repeat(256)),
  fc.oneof(
    fc.constantFrom('', 'anon:x', 'anon:', 'x'.repeat(257), 'a\u0000b', 'tab\there', 'del\u007f'),
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.constant(null),
  ),
);
const textLike = mostly(
  fc.constantFrom('shoes', 'x'.repeat(64)),
  fc.oneof(
    fc.constantFrom('', 'nul\u0000', 'x'.repeat(65), 'x'.repeat(256), 'x'.repeat(257), 'x'.repeat(2000), 'x'.repeat(2001)),
    fc.string({ maxLength: 10 }),
    fc.integer(),
  ),
);
const numberLike = mostly(
  fc.constantFrom(1, 2, 3, 4, 5, 0, 10, 49.9),
  fc.oneof(
    fc.constantFrom(-0, 5.5, 0.5, 6, 11, -1, 1e12, -1e12, 1e12 + 1, -1e12 - 1, Number.NaN, Number.POSITIVE_INFINITY, '3'),
    fc.double(),
    fc.integer({ min: -20, max: 20 }),
  ),
);
const timeLike = mostly(
  fc.constantFrom(0, 1_767_225_600_000, 253_402_300_799_999, '2026-01-15', '2026-01-15T12:00:00Z', '2026-01-15T12:00:00.123+02:00'),
  fc.oneof(
    fc.constantFrom(-1, 1.5, 253_402_300_800_000, Number.NaN, '2020-02-30', '1969-12-31', 'yesterday', `2026-01-15T12:00:00Z${' '.repeat(50)}`),
    fc.integer({ min: -1000, max: 2_000_000_000_000 }),
  ),
);
const propertiesLike = mostly(
  fc.oneof(
    fc.constantFrom({}, { page: 'home' }, { a: { b: { c: 1 } } }, { ['k'.repeat(200)]: 1 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
  ),
  fc.oneof(
    fc.constantFrom([], null, 'x', { ['k'.repeat(201)]: 1 }, { big: 'x'.repeat(17_000) }, { d: [[[[[[[[[1]]]]]]]]] }, { d: [[[[[[[1]]]]]]] }),
    fc.constant(JSON.parse('{"__proto__": {"x": 1}, "a": 1}')),
    fc.constant(Object.assign(Object.create(null), { a: 1 })),
  ),
);
const anyEvent = fc
  .tuple(
    fc.record(
      {
        messageId: idLike,
        type: mostly(fc.constantFrom(...EVENT_TYPES), fc.constantFrom('View', 'bogus', '')),
        userId: idLike,
        anonymousId: idLike,
        itemId: idLike,
        value: numberLike,
        query: textLike,
        channel: textLike,
        recommendationId: idLike,
        variant: textLike,
        timestamp: timeLike,
        properties: propertiesLike,
      },
      { requiredKeys: [] },
    ),
    fc.constantFrom(false, false, false, false, false, false, false, false, false, true),
  )
  .map(([e, extra]) => (extra ? { ...e, colour: 'red' } : e));

describe('plainEvent (the fast path of event validation)', () => {
  it('accepts only what EventInput accepts, and returns what it returns', () => {
    let accepted = 0;
    fc.assert(
      fc.property(anyEvent, (raw) => {
        const fast = plainEvent(raw);
        const r = EventInput.safeParse(raw);
        if (fast !== undefined) {
          accepted++;
          expect(r.success).toBe(true);
          expect(fast).toEqual(r.data);
        }
      }),
      { numRuns: 3_000, seed: 13 },
    );
    expect(accepted).toBeGreaterThan(100); // the generator reaches valid events too
  });

  it('takes the common shapes without zod', () => {
    const common = [
      { messageId: 'm-1', type: 'view', userId: 'user-00001', itemId: 'sku-1', timestamp: 1_767_225_600_000, channel: 'web' },
      { type: 'add_to_cart', anonymousId: 'anon-1', itemId: 'sku-1' },
      { type: 'purchase', userId: 'u', anonymousId: 'login-1', itemId: 'sku-1', value: 49.9, properties: { page: 'product', ab: 'a' } },
      { type: 'rating', userId: 'u', itemId: 'sku-1', value: 4 },
      { type: 'survey', userId: 'u', value: 0 },
      { type: 'search', userId: 'u', query: 'red shoes', timestamp: '2026-01-15T12:00:00Z' },
      { type: 'impression', userId: 'u', recommendationId: 'rec_1', variant: 'b' },
      { type: 'email_open', userId: 'u', channel: 'email' },
    ];
    for (const e of common) expect(plainEvent(e), JSON.stringify(e)).toEqual(EventInput.parse(e));
  });

  it('leaves refusals and unusual shapes to zod', () => {
    const bad: unknown[] = [
      { type: 'view', userId: 'anon:x', itemId: 'i' },
      { type: 'view', userId: 'u' },
      { type: 'view', itemId: 'i' },
      { type: 'rating', userId: 'u', itemId: 'i', value: 6 },
      { type: 'rating', userId: 'u', itemId: 'i' },
      { type: 'survey', userId: 'u', value: 7.5 },
      { type: 'search', userId: 'u', query: 'a\u0000b' },
      { type: 'view', userId: 'u', itemId: 'i', colour: 'red' },
      { type: 'view', userId: 'u', itemId: 'i', channel: '' },
      { type: 'view', userId: 'u', itemId: 'i', timestamp: '2020-02-30' },
      { type: 'view', userId: 'u', itemId: 'i', value: undefined },
      { type: 'nope', userId: 'u' },
      [{ type: 'view', userId: 'u', itemId: 'i' }],
      null,
      'view',
    ];
    for (const e of bad) expect(plainEvent(e), JSON.stringify(e)).toBeUndefined();
  });
});
