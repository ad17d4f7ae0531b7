import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTH, items, makeTestApp, type TestApp, caller } from '../helpers.ts';
import { chanceOf } from './chance.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
  await t.app.inject({ method: 'PUT', url: '/v1/items', headers: AUTH, payload: items(3) });
});
afterEach(async () => {
  await t.close();
});

const call = caller(() => t.app);

/** Two variants of an item, ids of its own, features shared across items. */
const variantsOf = (item: string) => [
  { id: `${item}-close`, headline: 'Up close', features: { style: 'close-up' } },
  { id: `${item}-wide`, headline: 'The whole look', features: { style: 'wide' } },
];

interface Presented {
  id: string;
  variant?: { id: string };
  propensity?: number;
}
const shown = async (who: string, item: string) => {
  const r = (await call('GET', `/v1/recommendations?userId=${who}&n=3&present=true`)).json() as { items: Presented[] };
  const p = r.items.find((i) => i.id === item)!;
  return { option: p.variant?.id, propensity: p.propensity };
};

describe('variants learn across items', () => {
  it('under hybrid LinUCB, a new item’s close-up starts from what close-ups earned on another item', async () => {
    await call('PUT', '/v1/decision-points/item-variants', { policy: 'hybrid-linucb', floor: 0.1, attributionWindowHours: 1, rewards: { click: 1 } });
    expect((await call('PUT', '/v1/items/i0/variants', { variants: variantsOf('i0') })).statusCode).toBe(200);
    // On i0, whoever is shown the close-up clicks it; the wide one earns nothing.
    const events: object[] = [];
    for (let i = 0; i < 30; i++) {
      const s = await shown(`u${i}`, 'i0');
      if (s.option === 'i0-close') events.push({ type: 'click', userId: `u${i}`, itemId: 'i0', variant: 'i0-close' });
    }
    expect(events.length).toBeGreaterThan(0);
    await call('POST', '/v1/events', events);
    t.clock.advance(2 * 3_600_000);

    // i1 is new: its variants have ids never seen, only their features are known. Before learning
    // anything of its own, it already leans to the close-up (0.9 + 0.1/2), where a model of its own would tie at 0.5.
    expect((await call('PUT', '/v1/items/i1/variants', { variants: variantsOf('i1') })).statusCode).toBe(200);
    expect(chanceOf('i1-close', await shown('new', 'i1'))).toBeCloseTo(0.95, 12);
    // The shared part is stored with the point: a restart keeps it.
    t = await t.restart();
    expect(chanceOf('i1-close', await shown('again', 'i1'))).toBeCloseTo(0.95, 12);
  }, 30_000);
});
