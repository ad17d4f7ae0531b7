import { afterEach, describe, expect, it } from 'vitest';
import { NudgeScheduler } from '../../src/nudge/index.ts';
import { type NudgeApp, nudgeApp } from './app.ts';

const HOUR = 3_600_000;
const NOON = Date.UTC(2026, 0, 15, 12);

async function until(ok: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

describe('the nudge scheduler', () => {
  it('evaluates every workspace on each tick, one failing workspace not stopping the others', async () => {
    const calls: string[] = [];
    const s = new NudgeScheduler({
      workspaces: async () => ['a', 'b'],
      run: async (ws) => {
        calls.push(ws);
        if (ws === 'a') throw new Error('broken');
      },
      log: () => undefined,
    });
    s.start(20);
    expect(s.running).toBe(true);
    await until(() => s.ticks >= 2);
    await s.stop();
    expect(s.running).toBe(false);
    expect(calls.slice(0, 4)).toEqual(['a', 'b', 'a', 'b']);
  });

  it('leaves a slot another node claimed alone', async () => {
    const calls: string[] = [];
    const claimed = new Set<string>();
    const node = () =>
      new NudgeScheduler(
        {
          workspaces: async () => ['a'],
          run: async (ws) => void calls.push(ws),
          claim: async (slot) => !claimed.has(slot) && Boolean(claimed.add(slot)),
        },
        () => NOON,
      );
    await node().tick();
    await node().tick();
    expect(calls).toEqual(['a']);
    // The claim unreachable: this node evaluates rather than nobody.
    const alone = new NudgeScheduler({
      workspaces: async () => ['b'],
      run: async (ws) => void calls.push(ws),
      claim: async () => Promise.reject(new Error('NATS down')),
    });
    await alone.tick();
    expect(calls).toEqual(['a', 'b']);
  });

  describe('in a listening server', () => {
    let t: NudgeApp;
    afterEach(async () => t?.close());

    it('starts with the server, and its tick fires what is due', async () => {
      t = await nudgeApp(NOON);
      expect(t.engine.nudgeScheduler.running).toBe(false);
      await t.call('PUT', '/v1/items', [{ id: 'lamp', title: 'Desk lamp', price: 50 }]);
      await t.call('PUT', '/v1/nudges/triggers', { triggers: { abandoned_cart: { enabled: true, holdout: 0, afterHours: 1 } } });
      await t.call('PUT', '/v1/users/ana/consent', { marketing: true });
      await t.call('POST', '/v1/events', [{ type: 'add_to_cart', userId: 'ana', itemId: 'lamp', timestamp: NOON }]);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      expect(t.engine.nudgeScheduler.running).toBe(true);
      t.clock.advance(2 * HOUR);
      await t.engine.nudgeScheduler.tick();
      const nudges = (await t.call('GET', '/v1/users/ana/nudges')).body.nudges;
      expect(nudges.map((n: { trigger: string; status: string }) => [n.trigger, n.status])).toEqual([['abandoned_cart', 'waiting']]);
    });
  });
});
