import { afterEach, describe, expect, it } from 'vitest';
import { items } from '../helpers.ts';
import { bearer, makeConfiguredApp, type ConfiguredApp } from '../security/app.ts';

let t: ConfiguredApp;
afterEach(async () => t?.close());

describe('signed user tokens (a public key acts only for the signed-in person)', () => {
  async function setup() {
    t = await makeConfiguredApp();
    await t.call('PUT', '/v1/items', items(6));
    await t.call('POST', '/v1/events', [
      { type: 'purchase', userId: 'ana', itemId: 'i1' },
      { type: 'purchase', userId: 'bob', itemId: 'i2' },
    ]);
    const pub = await t.key('public', { requireUserToken: true });
    const srv = await t.key('server');
    const token = (await t.call('POST', '/v1/users/ana/token', { ttlSeconds: 600 }, bearer(srv.key))).json();
    return { pub, srv, token };
  }

  it('lets the token holder read their own recommendations and send their own events', async () => {
    const { pub, token } = await setup();
    expect(token).toMatchObject({ userId: 'ana', expiresAt: new Date(t.clock() + 600_000).toISOString() });
    const h = bearer(pub.key, { 'afin-user-token': token.token });
    expect((await t.call('GET', '/v1/recommendations?userId=ana', undefined, h)).statusCode).toBe(200);
    expect((await t.call('POST', '/v1/events', [{ type: 'view', userId: 'ana', itemId: 'i3' }], h)).json().accepted).toBe(1);
    // Anonymous browsing needs no token.
    expect((await t.call('GET', '/v1/recommendations?anonymousId=v1', undefined, bearer(pub.key))).statusCode).toBe(200);
  });

  it("refuses another person's data, a missing, forged or expired token", async () => {
    const { pub, token } = await setup();
    const h = bearer(pub.key, { 'afin-user-token': token.token });
    const other = await t.call('GET', '/v1/recommendations?userId=bob', undefined, h);
    expect(other.statusCode).toBe(403);
    expect(other.json().error.field).toBe('userId');
    expect(
      (
        await t.call(
          'POST',
          '/v1/events',
          [
            { type: 'view', userId: 'ana', itemId: 'i3' },
            { type: 'view', userId: 'bob', itemId: 'i3' },
          ],
          h,
        )
      ).statusCode,
    ).toBe(403);
    expect((await t.call('GET', '/v1/recommendations?userId=ana', undefined, bearer(pub.key))).json().error.field).toBe('Afin-User-Token');
    const forged = token.token.replace(/.$/, (c: string) => (c === 'A' ? 'B' : 'A'));
    expect((await t.call('GET', '/v1/recommendations?userId=ana', undefined, bearer(pub.key, { 'afin-user-token': forged }))).statusCode).toBe(403);
    // A signature that differs only in base64's spare bits (they decode to the same bytes) is refused too.
    const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = token.token.at(-1)!;
    const spare = token.token.slice(0, -1) + B64[B64.indexOf(last) ^ 1];
    const sig = (x: string) => Buffer.from(x.split('.')[3], 'base64url');
    expect(sig(spare).equals(sig(token.token))).toBe(true);
    expect((await t.call('GET', '/v1/recommendations?userId=ana', undefined, bearer(pub.key, { 'afin-user-token': spare }))).statusCode).toBe(403);
    const asBob = token.token.replace(Buffer.from('ana').toString('base64url'), Buffer.from('bob').toString('base64url'));
    expect((await t.call('GET', '/v1/recommendations?userId=bob', undefined, bearer(pub.key, { 'afin-user-token': asBob }))).statusCode).toBe(403);
    t.clock.advance(601_000);
    expect((await t.call('GET', '/v1/recommendations?userId=ana', undefined, h)).statusCode).toBe(403);
    expect(await t.store.eventsOf('default', 'bob')).toHaveLength(1);
  });

  it('decodes strictly: junk characters in the user id or expiry make the token invalid, not ignored', async () => {
    const { token } = await setup();
    const tokens = t.engine.keys.userTokens;
    expect(await tokens.verify('default', token.token)).toBe('ana');
    const [prefix, user, exp, sig] = token.token.split('.');
    const spellings = [
      `${prefix}.${user}!.${exp}.${sig}`, // base64url decoding skips characters outside its alphabet
      `${prefix}.${user.slice(0, 2)}*${user.slice(2)}.${exp}.${sig}`,
      `${prefix}.${user}==.${exp}.${sig}`, // padding mint() never writes
      `${prefix}. ${user}.${exp}.${sig}`,
      `${prefix}.${user}.${exp}!.${sig}`, // parseInt stops at the first junk character
      `${prefix}.${user}.0${exp}.${sig}`, // a leading zero: the same number, another spelling
      `${prefix}.${user}.${exp.toUpperCase()}.${sig}`,
    ];
    for (const s of spellings) if (s !== token.token) expect(await tokens.verify('default', s), s).toBeNull();
  });

  it('is minted by server keys only, and a key without the setting needs no token', async () => {
    t = await makeConfiguredApp();
    const pub = await t.key('public');
    expect((await t.call('POST', '/v1/users/ana/token', {}, bearer(pub.key))).statusCode).toBe(403);
    expect((await t.call('GET', '/v1/recommendations?userId=ana', undefined, bearer(pub.key))).statusCode).toBe(200);
    expect((await t.call('POST', '/v1/users/ana/token', { ttlSeconds: 5 })).statusCode).toBe(400);
    await t.call('PATCH', `/v1/keys/${pub.id}`, { requireUserToken: true });
    expect((await t.call('GET', '/v1/recommendations?userId=ana', undefined, bearer(pub.key))).statusCode).toBe(403);
  });
});
