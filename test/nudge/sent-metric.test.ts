import { afterEach, describe, expect, it } from 'vitest';
import { type NudgeApp, nudgeApp } from './app.ts';

/** /metrics counts each nudge that reached its channel, by channel; a holdout or a refused nudge is not counted. */
const HOUR = 3_600_000;
const NOON = Date.UTC(2026, 0, 15, 12);

let t: NudgeApp;
afterEach(async () => t?.close());

const sent = async (channel: string) => {
  const text = (await t.call('GET', '/metrics')).body as string;
  const line = text.split('\n').find((l) => l.startsWith(`afin_nudges_sent_total{channel="${channel}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
};

describe('afin_nudges_sent_total', () => {
  it('counts chat nudges kept for the next conversation, once each, and none for a person without marketing consent', async () => {
    t = await nudgeApp(NOON);
    await t.call('PUT', '/v1/items', [{ id: 'lamp', title: 'Desk lamp', categories: ['home'], price: 50, currency: 'EUR' }]);
    await t.call('PUT', '/v1/nudges/triggers', { triggers: { abandoned_cart: { enabled: true, holdout: 0, afterHours: 1, channel: 'chat' } } });
    for (const u of ['ana', 'bea']) await t.call('PUT', `/v1/users/${u}/consent`, { marketing: true });
    // Without marketing consent nothing is sent, so nothing is counted.
    for (const u of ['ana', 'bea', 'cy']) await t.call('POST', '/v1/events', [{ type: 'add_to_cart', userId: u, itemId: 'lamp', timestamp: NOON }]);
    t.clock.advance(2 * HOUR);
    await t.call('POST', '/v1/nudges/run', {});
    expect(await sent('chat')).toBe(2);
    await t.call('POST', '/v1/nudges/run', {});
    expect(await sent('chat')).toBe(2);
    expect(await sent('email')).toBe(0);
  });
});
