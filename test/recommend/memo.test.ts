import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { Engine } from '../../src/server/compose.ts';

it('with caches on (as served), repeated answers are stable and a new event still changes the next one at once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'afin-memo-'));
  const engine = await Engine.open({ ...loadConfig({}), dataDir: dir });
  try {
    const ws = 'default';
    await engine.ingest.putItems(
      ws,
      ['a', 'b', 'c', 'd'].map((id) => ({ id, title: `Item ${id}`, categories: [id < 'c' ? 'x' : 'y'] })),
    );
    const evs = [];
    for (let u = 0; u < 6; u++)
      evs.push(
        { type: 'view', userId: `u${u}`, itemId: 'a' },
        { type: 'purchase', userId: `u${u}`, itemId: 'b' },
        { type: 'view', userId: `w${u}`, itemId: 'c' },
        { type: 'purchase', userId: `w${u}`, itemId: 'd' },
      );
    await engine.ingest.postEvents(ws, evs);
    await engine.train(ws);
    await engine.ingest.postEvents(ws, [{ type: 'view', userId: 'p', itemId: 'c' }]);
    const q = { userId: 'p', n: 1, context: 'home' as const, model: 'cooccurrence' };
    const first = await engine.recommend.recommend(ws, q);
    const again = await engine.recommend.recommend(ws, q);
    expect(first.items[0].id).toBe('d');
    expect(again.items).toEqual(first.items);
    await engine.ingest.postEvents(ws, [
      { type: 'view', userId: 'p', itemId: 'a' },
      { type: 'view', userId: 'p', itemId: 'a', messageId: 'p-a-2' },
      { type: 'view', userId: 'p', itemId: 'a', messageId: 'p-a-3' },
    ]);
    const after = await engine.recommend.recommend(ws, q);
    expect(after.items[0].id).toBe('b');
    // A consent change is honoured at once too.
    await engine.consent.update(ws, 'p', { personalization: false });
    expect((await engine.recommend.recommend(ws, q)).personalized).toBe(false);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
