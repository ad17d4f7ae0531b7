import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConfiguredApp, type ConfiguredApp } from '../security/app.ts';
import { items } from '../helpers.ts';

/**
 * Issue 11: the README promises `rating` needs `value` (1–5). Both halves are checked here through the
 * API, with the edges of the range, so removing either check (or loosening a bound) fails a test.
 */
describe('rating values through POST /v1/events', () => {
  let h: ConfiguredApp;
  beforeAll(async () => {
    h = await makeConfiguredApp();
    await h.call('PUT', '/v1/items', items(3));
  });
  afterAll(async () => h?.close());

  it('refuses a rating without a value, by index, naming value, and stores the rest of the batch', async () => {
    const r = await h.call('POST', '/v1/events', [
      { type: 'rating', userId: 'rv1', itemId: 'i1' },
      { type: 'view', userId: 'rv1', itemId: 'i1' },
    ]);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ accepted: 1, rejected: [{ index: 0, field: '[0].value' }] });
    expect(r.json().rejected[0].error).toMatch(/value is required for a rating/);
    expect((await h.store.eventsOf('default', 'rv1')).map((e) => e.type)).toEqual(['view']);
  });

  it('a batch of only unrated ratings answers 400 naming the value', async () => {
    const r = await h.call('POST', '/v1/events', [{ type: 'rating', userId: 'rv2', itemId: 'i1' }]);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.field).toBe('[0].value');
    expect(await h.store.eventsOf('default', 'rv2')).toEqual([]);
  });

  it('accepts 1, 5 and values between; refuses 0.5, 0.999, 5.001, 99, −7 and null', async () => {
    const ok = [1, 1.5, 3, 5];
    const bad: unknown[] = [0.5, 0.999, 5.001, 99, -7, null];
    const r = await h.call('POST', '/v1/events', [
      ...ok.map((value) => ({ type: 'rating', userId: 'rv3', itemId: 'i2', value })),
      ...bad.map((value) => ({ type: 'rating', userId: 'rv3', itemId: 'i2', value })),
    ]);
    expect(r.statusCode).toBe(200);
    expect(r.json().accepted).toBe(ok.length);
    expect(r.json().rejected.map((x: { index: number; field: string }) => [x.index, x.field])).toEqual(
      bad.map((_, i) => [ok.length + i, `[${ok.length + i}].value`]),
    );
    expect((await h.store.eventsOf('default', 'rv3')).map((e) => e.value)).toEqual(ok);
  });

  it('leaves the value of other event types free (a purchase of 59.9, a view of 0)', async () => {
    const r = await h.call('POST', '/v1/events', [
      { type: 'purchase', userId: 'rv4', itemId: 'i3', value: 59.9 },
      { type: 'view', userId: 'rv4', itemId: 'i3', value: 0 },
      { type: 'like', userId: 'rv4', itemId: 'i3' },
    ]);
    expect(r.json()).toMatchObject({ accepted: 3, rejected: [] });
  });
});
