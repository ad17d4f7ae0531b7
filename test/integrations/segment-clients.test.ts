import type { AddressInfo } from 'node:net';
import { Analytics } from '@segment/analytics-node';
import RudderAnalytics from '@rudderstack/rudder-sdk-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { items } from '../helpers.ts';
import { bearer, makeConfiguredApp, type ConfiguredApp } from '../security/app.ts';

/**
 * Issue 20: a shop's existing tracking pointed at Afín. The real npm clients of Segment and
 * RudderStack send to a running Afín (a server on a random port); their events arrive, retries and
 * repeated message ids are duplicates, and the people they track get recommendations of their taste.
 */
let t: ConfiguredApp;
let url: string;
let writeKey: string;

/** Even-numbered items are one taste, odd ones another; 30 shoppers of either taste teach the models. */
const CATALOGUE = items(24);
const parity = (id: string) => Number(id.slice(1)) % 2;

async function recommend(userId: string) {
  const r = await t.call('GET', `/v1/recommendations?userId=${userId}&n=5&excludeSeen=true`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { personalized: boolean; items: Array<{ id: string }> };
}

beforeAll(async () => {
  t = await makeConfiguredApp();
  await t.call('PUT', '/v1/items', CATALOGUE);
  const history = [];
  for (let u = 0; u < 30; u++) {
    const taste = u % 2;
    for (let k = 0; k < 6; k++) {
      const i = (2 * ((u + 3 * k) % 12) + taste) % 24;
      history.push({ type: k < 2 ? 'purchase' : 'view', userId: `u${u}`, itemId: `i${i}` });
    }
  }
  expect((await t.call('POST', '/v1/events', history)).json().accepted).toBe(history.length);
  writeKey = (await t.key('server')).key;
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => t?.close());

describe('the real Segment and RudderStack clients', () => {
  it("@segment/analytics-node: events arrive, a repeated messageId is a duplicate, and the shopper's recommendations follow", async () => {
    await t.call('POST', '/v1/train', {});
    const before = await recommend('seg-ana');
    expect(before.personalized).toBe(false);

    const analytics = new Analytics({ writeKey, host: url, flushAt: 50, maxRetries: 0, httpRequestTimeout: 30_000 });
    const failures: unknown[] = [];
    analytics.on('error', (e) => failures.push(e));
    for (const id of ['i0', 'i2', 'i4']) analytics.track({ userId: 'seg-ana', event: 'Product Viewed', properties: { product_id: id } });
    analytics.track({ userId: 'seg-ana', event: 'Product Added', properties: { product_id: 'i6', price: 16, quantity: 1 } });
    const order = {
      userId: 'seg-ana',
      event: 'Order Completed',
      messageId: 'seg-order-1',
      properties: {
        order_id: 'o-1',
        currency: 'EUR',
        products: [
          { product_id: 'i6', price: 16, quantity: 2 },
          { product_id: 'i8', price: 18 },
        ],
      },
    };
    analytics.track(order);
    analytics.track(order); // a retry of the same order: the same message id
    analytics.page({ userId: 'seg-ana', name: 'Home' });
    // Generous limits: the shared test machine can be slow, and a timeout would drop the batch.
    await analytics.closeAndFlush({ timeout: 30_000 });
    expect(failures).toEqual([]);

    const events = await t.store.eventsOf('default', 'seg-ana');
    expect(events.map((e) => `${e.type}:${e.itemId}`).sort()).toEqual(['add_to_cart:i6', 'purchase:i6', 'purchase:i8', 'view:i0', 'view:i2', 'view:i4']);
    const line = events.find((e) => e.type === 'purchase' && e.itemId === 'i6')!;
    expect(line).toMatchObject({ messageId: 'seg-order-1:0', value: 32, properties: { orderId: 'o-1', quantity: 2, currency: 'EUR' } });
    // The client's clock is the real one, Afín's test clock months before it: the skew is corrected.
    expect(Math.abs(line.timestamp - t.clock())).toBeLessThan(60_000);

    await t.call('POST', '/v1/train', {});
    const after = await recommend('seg-ana');
    expect(after.personalized).toBe(true);
    expect(after.items.map((i) => i.id)).not.toEqual(before.items.map((i) => i.id));
    // The best-scored items are of her taste (before, the trending list mixed both).
    expect(after.items.slice(0, 3).map((i) => parity(i.id))).toEqual([0, 0, 0]);
    expect(new Set(before.items.map((i) => parity(i.id))).size).toBe(2);
  }, 60_000);

  it('@rudderstack/rudder-sdk-node (gzipped batches): events arrive once, identify links the visitor, recommendations follow', async () => {
    const client = new RudderAnalytics(writeKey, { dataPlaneUrl: url, flushAt: 50, logLevel: 'error', retryCount: 0 });
    const errors: unknown[] = [];
    // The library sends a given messageId as it is, though its types leave the field out.
    const track = (m: Record<string, unknown>) => client.track(m as unknown as Parameters<typeof client.track>[0], () => undefined);
    // A visitor browses before signing in, then is identified.
    track({ anonymousId: 'rs-visitor', event: 'Product Viewed', properties: { product_id: 'i1' } });
    track({ anonymousId: 'rs-visitor', event: 'Product Viewed', properties: { product_id: 'i3' } });
    client.identify({ userId: 'rs-bo', anonymousId: 'rs-visitor', traits: { name: 'Bo', plan: 'gold' }, context: { locale: 'es-ES' } });
    track({ userId: 'rs-bo', event: 'Product Added', properties: { product_id: 'i5', price: 15 } });
    track({ userId: 'rs-bo', event: 'Product Reviewed', properties: { product_id: 'i7', rating: 5 } });
    track({ userId: 'rs-bo', event: 'Products Searched', properties: { query: 'odd lamps' } });
    track({ userId: 'rs-bo', event: 'Order Completed', messageId: 'rs-order-1', properties: { order_id: 'o-2', products: [{ product_id: 'i9', price: 19 }] } });
    await client.flush((e) => e && errors.push(e));
    // The same order sent again, as a retry after a lost answer would.
    track({ userId: 'rs-bo', event: 'Order Completed', messageId: 'rs-order-1', properties: { order_id: 'o-2', products: [{ product_id: 'i9', price: 19 }] } });
    await client.flush((e) => e && errors.push(e));
    expect(errors).toEqual([]);

    const events = await t.store.eventsOf('default', 'rs-bo');
    expect(events.map((e) => `${e.type}:${e.itemId ?? e.query}`).sort()).toEqual([
      'add_to_cart:i5',
      'purchase:i9',
      'rating:i7',
      'search:odd lamps',
      'view:i1',
      'view:i3',
    ]);
    expect(events.find((e) => e.type === 'rating')!.value).toBe(5);
    expect((await t.store.getUser('default', 'rs-bo'))!.traits).toMatchObject({ name: 'Bo', plan: 'gold', language: 'es' });

    await t.call('POST', '/v1/train', {});
    const recs = await recommend('rs-bo');
    expect(recs.personalized).toBe(true);
    expect(recs.items.slice(0, 3).map((i) => parity(i.id))).toEqual([1, 1, 1]);
  }, 60_000);

  it('a wrong write key is refused, and so is nothing else a key could not do on /v1/events', async () => {
    const denied = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('not-a-key:').toString('base64')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ batch: [{ type: 'track', event: 'Product Viewed', userId: 'x', properties: { product_id: 'i1' } }] }),
    });
    expect(denied.status).toBe(401);
    expect(await t.store.eventsOf('default', 'x')).toEqual([]);
    // Afín's own bearer key works on the same route.
    const ok = await t.call('POST', '/v1/track', { event: 'Product Viewed', userId: 'x', properties: { product_id: 'i1' } }, bearer(writeKey));
    expect(ok.json()).toMatchObject({ success: true, accepted: 1 });
  });
});
