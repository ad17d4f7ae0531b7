import { describe, expect, it } from 'vitest';
import { inProcessShop } from '../../src/cli/commands/simulate.ts';
import { simulateWorld } from '../../src/simulate/run.ts';

const START = Date.UTC(2025, 2, 3);
const total = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0);
/** Three days of 25 shoppers and 120 items (seed 3), served by `shop`, retrained every second day. */
const smallWorld = (shop: Awaited<ReturnType<typeof inProcessShop>>) => ({
  api: shop.api,
  setClock: shop.setClock,
  seed: 3,
  days: 3,
  users: 25,
  items: 120,
  start: START,
  historyWeeks: 1,
  retrainEvery: 2,
});

describe('a simulated world through the real HTTP API (in process, as afin simulate runs it)', () => {
  it('sets up, serves every visit a page from the engine, takes every event (surveys too) and retrains', async () => {
    const shop = await inProcessShop(START);
    try {
      const o = await simulateWorld({ ...smallWorld(shop), arm: 'personalized', workspace: 'sim-test-personalized', surveys: true });
      expect(total(o.visits)).toBeGreaterThan(5);
      // Every visit got a full page (n = 10) from the engine.
      expect(total(o.shown)).toBe(10 * total(o.visits));
      expect(total(o.fitting)).toBeGreaterThan(0);
      // The NPS answers reached the engine as survey events (this seed has some).
      const answered = Array.from(o.nps).findIndex((x) => x >= 0);
      expect(answered).toBeGreaterThanOrEqual(0);
      const exported = JSON.stringify(
        await shop.api.call('GET', `/v1/users/u-${String(answered + 1).padStart(3, '0')}/export`, undefined, 'sim-test-personalized'),
      );
      expect(exported).toMatch(/"type":"survey"/);
      const models = (await shop.api.call('GET', '/v1/models', undefined, 'sim-test-personalized')) as { models: Array<{ name: string }> };
      expect(models.models.map((m) => m.name)).toContain('hybrid');
    } finally {
      await shop.close();
    }
  }, 120_000);

  it('the chat arm: the assistant answers the shoppers through POST /v1/chat with items of the real catalogue', async () => {
    const shop = await inProcessShop(START);
    try {
      const o = await simulateWorld({ ...smallWorld(shop), arm: 'personalized+chat', workspace: 'sim-test-personalized-chat' });
      expect(o.chat.visits).toBeGreaterThan(2);
      // Most conversations showed items within the turns allowed; one that shows nothing leaves the shopper on the page.
      expect(o.chat.empty).toBeLessThan(o.chat.visits / 2);
      expect(o.chat.messages).toBeGreaterThanOrEqual(o.chat.visits);
      // The other visits (and those whose conversation showed nothing) got full pages; the assistant's answers hold at most 3 items each.
      const pages = total(o.visits) - o.chat.visits + o.chat.empty;
      expect(total(o.shown)).toBeGreaterThan(10 * pages);
      expect(total(o.shown)).toBeLessThanOrEqual(10 * pages + 3 * (o.chat.visits - o.chat.empty));
    } finally {
      await shop.close();
    }
  }, 120_000);
});
