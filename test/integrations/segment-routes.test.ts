import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { items } from '../helpers.ts';
import { bearer, makeConfiguredApp, type ConfiguredApp } from '../security/app.ts';

/** The Segment-compatible routes through `inject`: mapping, clock skew, scopes, field names, limits. */
let t: ConfiguredApp;
let server: string;
let pub: string;
const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });
const iso = (ms: number) => new Date(ms).toISOString();

beforeEach(async () => {
  t = await makeConfiguredApp();
  await t.call('PUT', '/v1/items', items(6));
  server = (await t.key('server')).key;
  pub = (await t.key('public')).key;
});
afterEach(async () => t?.close());

const batch = (messages: unknown[], key = server, extra: Record<string, unknown> = {}) =>
  t.call('POST', '/v1/batch', { batch: messages, ...extra }, basic(key));

describe('Segment-compatible tracking', () => {
  it('maps the e-commerce events: an order is one purchase per product worth price × quantity; retries are duplicates', async () => {
    const order = {
      type: 'track',
      event: 'Order Completed',
      userId: 'ana',
      messageId: 'm-1',
      channel: 'browser',
      properties: { order_id: 'o1', currency: 'EUR', recommendation_id: 'rec_1', products: [{ product_id: 'i1', price: 12.5, quantity: 2 }, { sku: 'i2' }] },
    };
    const first = await batch([order, { type: 'track', event: 'product_added_to_wishlist', userId: 'ana', properties: { id: 'i3' } }]);
    expect(first.json()).toEqual({ success: true, accepted: 3, duplicates: 0, identified: 0, ignored: 0, rejected: [] });
    expect((await batch([order])).json()).toMatchObject({ accepted: 0, duplicates: 2 });
    const evs = await t.store.eventsOf('default', 'ana');
    expect(evs.map((e) => [e.messageId, e.type, e.itemId, e.value, e.channel, e.recommendationId])).toEqual([
      ['m-1:0', 'purchase', 'i1', 25, 'web', 'rec_1'],
      ['m-1:1', 'purchase', 'i2', null, 'web', 'rec_1'],
      [expect.any(String), 'like', 'i3', null, null, null],
    ]);
    expect(evs[0].properties).toEqual({ orderId: 'o1', quantity: 2, currency: 'EUR' });
  });

  it('takes Afín event names too, and acknowledges without storing what it does not record (pages, screens, unknown events)', async () => {
    const r = await batch([
      { type: 'track', event: 'dislike', userId: 'bo', properties: { itemId: 'i4' } },
      { type: 'page', userId: 'bo', name: 'Home' },
      { type: 'screen', anonymousId: 'v', name: 'Cart' },
      { type: 'group', userId: 'bo', groupId: 'g' },
      { type: 'track', event: 'Coupon Applied', userId: 'bo' },
    ]);
    expect(r.json()).toMatchObject({ accepted: 1, ignored: 4, rejected: [] });
    expect((await t.store.eventsOf('default', 'bo')).map((e) => `${e.type}:${e.itemId}`)).toEqual(['dislike:i4']);
    expect((await t.call('POST', '/v1/page', { userId: 'bo', name: 'Home' }, basic(pub))).json()).toMatchObject({ success: true, ignored: 1 });
  });

  it("corrects the sender's clock: an event happened sentAt − timestamp before Afín received it", async () => {
    const now = t.clock();
    const ahead = now + 3_600_000; // the sender's clock runs an hour fast
    await batch(
      [
        { type: 'track', event: 'Product Viewed', userId: 'cy', messageId: 'a', timestamp: iso(ahead - 300_000), properties: { product_id: 'i1' } },
        { type: 'track', event: 'Product Viewed', userId: 'cy', messageId: 'b', originalTimestamp: iso(ahead - 60_000), properties: { product_id: 'i2' } },
        // A message's own sentAt wins over the batch's.
        {
          type: 'track',
          event: 'Product Viewed',
          userId: 'cy',
          messageId: 'c',
          timestamp: iso(now - 10_000),
          sentAt: iso(now),
          properties: { product_id: 'i3' },
        },
      ],
      server,
      { sentAt: iso(ahead) },
    );
    // Without any sentAt the time is taken as sent.
    await t.call(
      'POST',
      '/v1/track',
      { event: 'Product Viewed', userId: 'cy', messageId: 'd', timestamp: iso(now - 7_000), properties: { product_id: 'i4' } },
      basic(server),
    );
    const at = Object.fromEntries((await t.store.eventsOf('default', 'cy')).map((e) => [e.messageId, e.timestamp - now]));
    expect(at).toEqual({ a: -300_000, b: -60_000, c: -10_000, d: -7_000 });
  });

  it('names the field the sender wrote when ingest refuses an event, and answers 400 when nothing was usable', async () => {
    const bad = await batch([{ type: 'track', event: 'Order Completed', userId: 'di', properties: { products: [{ price: 3 }] } }]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('batch[0].properties.products[0].product_id');
    const mixed = await batch([
      { type: 'track', event: 'Product Viewed', userId: 'di', properties: { product_id: 'i1' } },
      { type: 'track', event: 'Product Reviewed', userId: 'di', properties: { product_id: 'i1', rating: 9 } },
      { type: 'track', userId: 'di' },
      { event: 'Product Viewed', userId: 'di' },
      { type: 'track', event: 'Product Viewed', userId: 'anon:x', properties: { product_id: 'i1' } },
    ]);
    expect(mixed.statusCode).toBe(200);
    expect(mixed.json().rejected.map((r: { field: string }) => r.field)).toEqual([
      'batch[1].properties.rating',
      'batch[2].event',
      'batch[3].type',
      'batch[4].userId',
    ]);
    expect((await t.call('POST', '/v1/track', { event: 'Product Viewed', properties: { product_id: 'i1' } }, basic(server))).json().error.field).toBe('userId');
    // A single route implies the type: a track call without its event is refused the same way.
    expect((await t.call('POST', '/v1/track', { userId: 'di', properties: {} }, basic(server))).json().error.field).toBe('event');
    expect((await t.call('POST', '/v1/alias', { userId: 'di' }, basic(server))).json().error.field).toBe('previousId');
    expect((await t.call('POST', '/v1/batch', { events: [] }, basic(server))).json().error.field).toBe('batch');
  });

  it('a public key sends events only: identify and alias are refused, and its events never link a visitor', async () => {
    const r = await batch(
      [
        { type: 'track', event: 'Product Viewed', userId: 'victim', anonymousId: 'mine', properties: { product_id: 'i1' } },
        { type: 'identify', userId: 'victim', anonymousId: 'mine', traits: { email: 'x@evil.example' } },
        { type: 'alias', previousId: 'mine', userId: 'victim' },
      ],
      pub,
    );
    expect(r.json()).toMatchObject({ accepted: 1, identified: 0 });
    expect(r.json().rejected.map((x: { field: string }) => x.field)).toEqual(['batch[1].type', 'batch[2].type']);
    expect(await t.store.resolveAnonymous('default', 'mine')).toBeNull();
    expect(await t.store.getUser('default', 'victim')).toBeNull();
    expect((await t.call('POST', '/v1/identify', { userId: 'victim', traits: { name: 'x' } }, basic(pub))).statusCode).toBe(403);
    expect((await t.call('POST', '/v1/alias', { previousId: 'mine', userId: 'victim' }, basic(pub))).statusCode).toBe(403);
    const bound = (await t.key('public', { requireUserToken: true })).key;
    expect((await batch([{ type: 'track', event: 'Product Viewed', userId: 'victim', properties: { product_id: 'i1' } }], bound)).statusCode).toBe(403);
    // Even with a valid token for the user named: previousId is a visitor the token check does not read.
    const boundServer = (await t.key('server', { requireUserToken: true })).key;
    const token = (await t.call('POST', '/v1/users/attacker/token', { ttlSeconds: 600 })).json().token as string;
    const asAttacker = { ...basic(boundServer), 'afin-user-token': token };
    expect((await t.call('POST', '/v1/alias', { previousId: 'mine', userId: 'attacker' }, asAttacker)).statusCode).toBe(403);
    expect((await t.call('POST', '/v1/identify', { userId: 'attacker', anonymousId: 'mine' }, asAttacker)).statusCode).toBe(403);
    const own = { event: 'Product Viewed', userId: 'attacker', properties: { product_id: 'i1' } };
    expect((await t.call('POST', '/v1/track', own, asAttacker)).statusCode).toBe(200);
    expect(await t.store.resolveAnonymous('default', 'mine')).toBeNull();
  });

  it("identify stores flat traits and the locale's language and links the visitor; alias merges previousId; Afín's own /v1/alias still answers", async () => {
    await batch([{ type: 'track', event: 'Product Viewed', anonymousId: 'v-1', properties: { product_id: 'i1' } }]);
    const id = await t.call(
      'POST',
      '/v1/identify',
      { userId: 'eva', anonymousId: 'v-1', traits: { name: 'Eva', address: { city: 'Sevilla' }, age: 40 }, context: { locale: 'es-ES' } },
      basic(server),
    );
    expect(id.json()).toMatchObject({ identified: 1 });
    expect((await t.store.getUser('default', 'eva'))!.traits).toEqual({ name: 'Eva', age: 40, language: 'es' });
    expect((await t.store.eventsOf('default', 'eva')).map((e) => e.itemId)).toEqual(['i1']);

    await batch([{ type: 'track', event: 'Product Viewed', anonymousId: 'v-2', properties: { product_id: 'i2' } }]);
    expect((await t.call('POST', '/v1/alias', { previousId: 'v-2', userId: 'eva' }, basic(server))).json()).toMatchObject({ identified: 1 });
    expect((await t.store.eventsOf('default', 'eva')).map((e) => e.itemId).sort()).toEqual(['i1', 'i2']);
    const own = await t.call('POST', '/v1/alias', { anonymousId: 'v-3', userId: 'eva' }, bearer(server));
    expect(own.json()).toEqual({ anonymousId: 'v-3', userId: 'eva', merged: 0 });
  });

  it('brings nothing of an erased person back: late events and identify calls are suppressed', async () => {
    await batch([{ type: 'identify', userId: 'gone', traits: { name: 'G' } }]);
    expect((await t.call('DELETE', '/v1/users/gone')).statusCode).toBe(204);
    const r = await batch([
      { type: 'identify', userId: 'gone', traits: { name: 'G' } },
      { type: 'track', event: 'Product Viewed', userId: 'gone', properties: { product_id: 'i1' } },
    ]);
    expect(r.json()).toMatchObject({ accepted: 0, identified: 0, suppressed: 2, rejected: [] });
    expect(await t.store.getUser('default', 'gone')).toBeNull();
    expect(await t.store.eventsOf('default', 'gone')).toEqual([]);
  });

  it('bounds what a request may cost: gzip bombs, other encodings, too many messages, orders that expand past 1,000 events', async () => {
    const post = (payload: Buffer | string, headers: Record<string, string>) =>
      t.app.inject({ method: 'POST', url: '/v1/batch', payload, headers: { ...basic(server), 'content-type': 'application/json', ...headers } });
    const bomb = gzipSync(Buffer.from(`{"batch":[${' '.repeat(20 * 1024 * 1024)}]}`));
    expect(bomb.length).toBeLessThan(100_000);
    expect((await post(bomb, { 'content-encoding': 'gzip' })).statusCode).toBe(413);
    const notGzip = await post('{"batch":[]}', { 'content-encoding': 'gzip' });
    expect(notGzip.statusCode).toBe(400);
    expect(notGzip.json().error.message).toMatch(/gzip/);
    expect((await post('{}', { 'content-encoding': 'br' })).statusCode).toBe(415);
    const many = Array.from({ length: 1001 }, () => ({ type: 'page', userId: 'x' }));
    expect((await batch(many)).statusCode).toBe(413);
    const products = Array.from({ length: 501 }, () => ({ product_id: 'i1' }));
    const big = await batch([1, 2].map((n) => ({ type: 'track', event: 'Order Completed', userId: 'x', properties: { order_id: n, products } })));
    expect(big.statusCode).toBe(413);
    expect(await t.store.eventsOf('default', 'x')).toEqual([]);
  });
});
