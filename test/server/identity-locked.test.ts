import { afterEach, describe, expect, it } from 'vitest';
import { items } from '../helpers.ts';
import { bearer, makeConfiguredApp, type ConfiguredApp } from '../security/app.ts';

/**
 * Issue 8, item 2: a public key never creates or moves an identity link, and with `requireUserToken`
 * an anonymous id linked to a person is that person.
 */
let t: ConfiguredApp;
afterEach(async () => t?.close());

async function setup() {
  t = await makeConfiguredApp();
  await t.call('PUT', '/v1/items', items(6));
  // bob was anonymous as `bob-anon`, then signed in: the server linked the ids.
  await t.call('POST', '/v1/events', [{ messageId: 'bob-1', type: 'view', anonymousId: 'bob-anon', itemId: 'i1' }]);
  expect((await t.call('POST', '/v1/alias', { anonymousId: 'bob-anon', userId: 'bob' })).json().merged).toBe(1);
  const locked = await t.key('public', { requireUserToken: true });
  const open = await t.key('public');
  const srv = await t.key('server');
  const mint = async (userId: string) => (await t.call('POST', `/v1/users/${userId}/token`, {}, bearer(srv.key))).json().token as string;
  return { locked, open, srv, mint };
}

const ids = async (subject: string) => (await t.store.eventsOf('default', subject)).map((e) => e.messageId).sort();

describe('identity with a public key', () => {
  it('a locked key treats an anonymous id linked to a person as that person: no token, no write, no read', async () => {
    const { locked, mint } = await setup();
    const noToken = await t.call('POST', '/v1/events', [{ messageId: 'x-1', type: 'view', anonymousId: 'bob-anon', itemId: 'i2' }], bearer(locked.key));
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.field).toBe('Afin-User-Token');
    const mallory = bearer(locked.key, { 'afin-user-token': await mint('mallory') });
    const other = await t.call('POST', '/v1/events', [{ messageId: 'x-2', type: 'view', anonymousId: 'bob-anon', itemId: 'i2' }], mallory);
    expect(other.statusCode).toBe(403);
    expect(other.json().error.field).toBe('anonymousId');
    expect((await t.call('GET', '/v1/recommendations?anonymousId=bob-anon', undefined, bearer(locked.key))).statusCode).toBe(403);
    expect((await t.call('GET', '/v1/recommendations?anonymousId=bob-anon', undefined, mallory)).statusCode).toBe(403);
    expect(await ids('bob')).toEqual(['bob-1']);
    // bob himself, with his token, may use his anonymous id; a visitor nobody is linked to needs no token.
    const bob = bearer(locked.key, { 'afin-user-token': await mint('bob') });
    expect((await t.call('POST', '/v1/events', [{ messageId: 'bob-2', type: 'view', anonymousId: 'bob-anon', itemId: 'i3' }], bob)).json().accepted).toBe(1);
    expect(
      (await t.call('POST', '/v1/events', [{ messageId: 'v-1', type: 'view', anonymousId: 'fresh-anon', itemId: 'i3' }], bearer(locked.key))).json().accepted,
    ).toBe(1);
    expect((await t.call('GET', '/v1/recommendations?anonymousId=fresh-anon', undefined, bearer(locked.key))).statusCode).toBe(200);
    expect(await ids('bob')).toEqual(['bob-1', 'bob-2']);
  });

  it('a public key never links or moves an identity: the event is stored as sent, bob stays bob', async () => {
    const { locked, open, mint } = await setup();
    await t.call('POST', '/v1/events', [{ messageId: 'carol-1', type: 'view', anonymousId: 'carol-anon', itemId: 'i4' }]);
    const mallory = bearer(locked.key, { 'afin-user-token': await mint('mallory') });
    // Through the locked key with mallory's token: carol's anonymous id is nobody's yet, but it still may not be claimed.
    const claim = await t.call('POST', '/v1/events', [{ messageId: 'm-1', type: 'view', userId: 'mallory', anonymousId: 'carol-anon', itemId: 'i2' }], mallory);
    expect(claim.json().accepted).toBe(1);
    // Through an ordinary public key: bob's linked anonymous id may not be moved to mallory.
    const move = await t.call(
      'POST',
      '/v1/events',
      [{ messageId: 'm-2', type: 'view', userId: 'mallory', anonymousId: 'bob-anon', itemId: 'i2' }],
      bearer(open.key),
    );
    expect(move.json().accepted).toBe(1);
    expect(await t.store.resolveAnonymous('default', 'bob-anon')).toBe('bob');
    expect(await t.store.resolveAnonymous('default', 'carol-anon')).toBeNull();
    expect(await ids('bob')).toEqual(['bob-1']);
    expect(await ids('anon:carol-anon')).toEqual(['carol-1']);
    expect(await ids('mallory')).toEqual(['m-1', 'm-2']);
    // Erasing bob still covers his anonymous id.
    expect((await t.call('DELETE', '/v1/users/bob')).statusCode).toBe(204);
    expect(await t.store.eventsOf('default', 'anon:bob-anon')).toEqual([]);
    expect(await t.store.resolveAnonymous('default', 'bob-anon')).toBeNull();
  });

  it('a server key still identifies visitors through events, as /v1/alias does', async () => {
    const { srv } = await setup();
    await t.call('POST', '/v1/events', [{ messageId: 'd-1', type: 'view', anonymousId: 'dan-anon', itemId: 'i4' }]);
    await t.call('POST', '/v1/events', [{ messageId: 'd-2', type: 'view', userId: 'dan', anonymousId: 'dan-anon', itemId: 'i5' }], bearer(srv.key));
    expect(await t.store.resolveAnonymous('default', 'dan-anon')).toBe('dan');
    expect(await ids('dan')).toEqual(['d-1', 'd-2']);
  });
});
