import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { RecommendService } from '../../src/recommend/recommend-service.ts';
import { Engine } from '../../src/server/compose.ts';
import { rng } from '../../src/stats/random.ts';
import { testClock } from '../helpers.ts';

/**
 * Issue 13: an overdue item's strength falls with every millisecond (late / elapsed), so counted at
 * each request's own time it made every answer's page new, and a person with an overdue item had their
 * page composed on every request (15 of the demo's 200 shoppers). The re-buy reckoning now ticks once
 * a minute: within a minute the page is served again, a minute later it is counted afresh.
 */
const DAY = 86_400_000;
const ws = 'default';
let dir: string;
let engine: Engine;
let clock: ReturnType<typeof testClock>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'afin-rebuy-tick-'));
  clock = testClock();
  engine = await Engine.open({ ...loadConfig({}), dataDir: dir }, { clock });
  const now = clock();
  await engine.ingest.putItems(ws, [
    ...Array.from({ length: 4 }, (_, i) => ({ id: `c${i}`, title: `Coffee ${i}`, categories: ['Groceries', 'Coffee'], price: 9 })),
    ...Array.from({ length: 8 }, (_, i) => ({ id: `h${i}`, title: `Lamp ${i}`, categories: ['Home', 'Lamps'], price: 40 })),
  ]);
  // 30 customers re-buy their coffee every ~3 weeks; "p" did three times, the last 90 days ago: long overdue.
  const rand = rng(11);
  const evs: object[] = [];
  for (let u = 0; u < 30; u++) {
    for (let day = 180 - rand() * 10; day > 5; day -= 19 + rand() * 4)
      evs.push({ type: 'purchase', userId: `u${u}`, itemId: `c${u % 4}`, timestamp: now - Math.round(day * DAY) });
    evs.push({ type: 'purchase', userId: `u${u}`, itemId: `h${u % 8}`, timestamp: now - 40 * DAY });
  }
  for (const d of [132, 111, 90]) evs.push({ type: 'purchase', userId: 'p', itemId: 'c1', timestamp: now - d * DAY });
  await engine.ingest.postEvents(ws, evs);
  await engine.train(ws);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const ask = () => engine.recommend.recommend(ws, { userId: 'p', n: 5, context: 'home' });

describe('the re-buy reckoning', () => {
  it('serves a page with an overdue item again within the minute, and counts it afresh the next minute', async () => {
    const first = await ask();
    const coffee = first.items.find((i) => i.id === 'c1');
    expect(coffee?.reasons[0], JSON.stringify(first.items)).toBe('You buy this every 3 weeks');
    const spy = vi.spyOn(RecommendService.prototype as never, 'composeServed');
    clock.advance(1000);
    const again = await ask();
    expect(spy).not.toHaveBeenCalled();
    expect(again.items).toBe(first.items);
    clock.advance(60_000);
    const later = await ask();
    expect(spy).toHaveBeenCalledTimes(1);
    // Overdue for longer, so a little weaker: the score is counted at the new minute.
    expect(later.items.find((i) => i.id === 'c1')!.score).toBeLessThan(coffee!.score);
  });
});
