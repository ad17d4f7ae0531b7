import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ITEM_MODEL_COLLECTION } from '../../src/present/decision-service.ts';
import { VARIANTS_COLLECTION } from '../../src/present/variants.ts';
import { AUTH, items, makeTestApp, type TestApp, caller } from '../helpers.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
  await t.app.inject({ method: 'PUT', url: '/v1/items', headers: AUTH, payload: items(3) });
});
afterEach(async () => {
  await t.close();
});

const call = caller(() => t.app);

const variants = [
  { id: 'closeup', headline: 'Up close', features: { style: 'close-up' } },
  { id: 'wide', headline: 'The whole look', features: { style: 'wide' } },
];

/** Shows i1's variants to a few people, has each click what they saw, and lets the window close so i1's model is learnt. */
async function learnSomething(point: string) {
  for (let i = 0; i < 4; i++) {
    const r = (await call('GET', `/v1/recommendations?userId=u${i}&n=3&present=true`)).json() as { items: Array<{ id: string; variant?: { id: string } }> };
    const shown = r.items.find((x) => x.id === 'i1')?.variant?.id;
    expect(shown).toBeDefined();
    await call('POST', '/v1/events', [{ type: 'click', userId: `u${i}`, itemId: 'i1', variant: shown }]);
  }
  t.clock.advance(2 * 3_600_000);
  await t.engine.decisions.learn('default');
  expect(await t.engine.store.getDoc('default', ITEM_MODEL_COLLECTION, `${point}/i1`)).not.toBeNull();
}

describe('deleting an item', () => {
  it('deletes its variants and its variants’ model, so an item re-created under the same id starts clean', async () => {
    for (const point of ['item-variants', 'artwork']) {
      await call('PUT', `/v1/decision-points/${point}`, { policy: 'linucb', attributionWindowHours: 1, rewards: { click: 1 } });
      expect((await call('PUT', '/v1/items/i1/variants', { point, variants })).statusCode).toBe(200);
      await learnSomething(point);

      expect((await call('DELETE', '/v1/items/i1')).statusCode).toBe(204);
      expect(await t.engine.store.getDoc('default', VARIANTS_COLLECTION, 'i1')).toBeNull();
      expect(await t.engine.store.getDoc('default', ITEM_MODEL_COLLECTION, `${point}/i1`)).toBeNull();

      // The same id comes back as a new product: none of the old one's variants, nothing served for it.
      expect((await call('PUT', '/v1/items', items(3))).statusCode).toBeLessThan(300);
      expect((await call('GET', '/v1/items/i1/variants')).json()).toEqual({ item: 'i1', point: 'item-variants', variants: [] });
      const r = (await call('GET', '/v1/recommendations?userId=x&n=3&present=true')).json() as { items: Array<{ id: string; variant?: unknown }> };
      expect(r.items.find((x) => x.id === 'i1')?.variant).toBeUndefined();
    }
    // Another item's variants are untouched.
    expect((await call('PUT', '/v1/items/i0/variants', { variants })).statusCode).toBe(200);
    expect((await call('DELETE', '/v1/items/i2')).statusCode).toBe(204);
    expect((await call('GET', '/v1/items/i0/variants')).json().variants).toEqual(variants);
  }, 30_000);

  it('a decision about a deleted item that settles afterwards does not bring its model back', async () => {
    await call('PUT', '/v1/decision-points/item-variants', { policy: 'linucb', attributionWindowHours: 1, rewards: { click: 1 } });
    await call('PUT', '/v1/items/i1/variants', { variants });
    const r = (await call('GET', '/v1/recommendations?userId=u&n=3&present=true')).json() as { items: Array<{ id: string; variant?: { id: string } }> };
    await call('POST', '/v1/events', [{ type: 'click', userId: 'u', itemId: 'i1', variant: r.items.find((x) => x.id === 'i1')?.variant?.id }]);
    await t.engine.decisions.log.flush();
    expect((await call('DELETE', '/v1/items/i1')).statusCode).toBe(204);
    t.clock.advance(2 * 3_600_000);
    await t.engine.decisions.learn('default');
    expect(await t.engine.store.getDoc('default', ITEM_MODEL_COLLECTION, 'item-variants/i1')).toBeNull();
  });
});
