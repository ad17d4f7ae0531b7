import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NudgeApp, nudgeApp } from '../nudge/app.ts';

/**
 * GET /v1/chat/opener with a public key: what the person did (their cart, a nudge waiting for them)
 * is used only when the caller proves it is that person with their user token, or is the shop's
 * backend; anyone else holding the public key gets a greeting, not someone else's cart.
 */
const HOUR = 3_600_000;
const NOON = Date.UTC(2026, 0, 15, 12);
const ITEMS = [
  { id: 'lamp', title: 'Desk lamp', categories: ['home'], price: 50, currency: 'EUR' },
  { id: 'kettle', title: 'Kettle', categories: ['home'], price: 40, currency: 'EUR' },
];

let t: NudgeApp;
let pub: Record<string, string>;
beforeEach(async () => {
  t = await nudgeApp(NOON);
  await t.call('PUT', '/v1/items', ITEMS);
  pub = { authorization: `Bearer ${(await t.call('POST', '/v1/keys', { scope: 'public' })).body.key}` };
});
afterEach(async () => t.close());

const asPerson = async (userId: string) => ({ ...pub, 'afin-user-token': (await t.call('POST', `/v1/users/${userId}/token`, {})).body.token });

describe('the opener, asked with a public key', () => {
  it("tells nobody else about a person's cart, and tells the person with their token", async () => {
    await t.call('POST', '/v1/events', [{ type: 'add_to_cart', userId: 'ana', itemId: 'lamp', timestamp: NOON - 3 * HOUR }]);
    const stranger = await t.call('GET', '/v1/chat/opener?userId=ana', undefined, pub);
    expect(stranger.status).toBe(200);
    expect(stranger.body.signal).toBeNull();
    expect(stranger.body.reply).not.toContain('Desk lamp');
    expect(stranger.body.items).toEqual([]);

    const other = await t.call('GET', '/v1/chat/opener?userId=ana', undefined, await asPerson('bea'));
    expect(other.body.signal).toBeNull();

    const ana = await t.call('GET', '/v1/chat/opener?userId=ana', undefined, await asPerson('ana'));
    expect(ana.body.signal).toMatchObject({ kind: 'abandoned_cart', itemId: 'lamp' });
    expect(ana.body.reply).toContain('Desk lamp');
  });

  it('opens with the nudge waiting for the person, once, in the session the nudge started', async () => {
    await t.call('PUT', '/v1/nudges/triggers', { triggers: { abandoned_cart: { enabled: true, holdout: 0, afterHours: 1 } } });
    await t.call('PUT', '/v1/users/ana/consent', { marketing: true });
    await t.call('POST', '/v1/events', [{ type: 'add_to_cart', userId: 'ana', itemId: 'kettle', timestamp: NOON }]);
    t.clock.advance(2 * HOUR);
    await t.call('POST', '/v1/nudges/run', {});
    const [nudge] = (await t.call('GET', '/v1/users/ana/nudges?channel=chat')).body.nudges;
    expect(nudge).toMatchObject({ status: 'waiting' });

    // A stranger with the public key neither sees nor uses it up.
    expect((await t.call('GET', '/v1/chat/opener?userId=ana', undefined, pub)).body.signal).toBeNull();
    const first = await t.call('GET', '/v1/chat/opener?userId=ana', undefined, await asPerson('ana'));
    expect(first.body).toMatchObject({
      sessionId: nudge.sessionId,
      reply: nudge.message,
      signal: { kind: 'nudge', trigger: 'abandoned_cart', nudgeId: nudge.id },
    });
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual(['kettle']);
    const again = await t.call('GET', '/v1/chat/opener?userId=ana', undefined, await asPerson('ana'));
    expect(again.body.signal).not.toMatchObject({ kind: 'nudge' });
    expect((await t.call('GET', '/v1/users/ana/nudges?channel=chat')).body.nudges[0].status).toBe('opened');
  });
});
