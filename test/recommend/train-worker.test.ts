import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { Engine } from '../../src/server/compose.ts';

it('trains in a worker thread on the on-disk store, reporting progress, and serves the result', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'afin-worker-'));
  const engine = await Engine.open({ ...loadConfig({}), dataDir: dir });
  try {
    await engine.ingest.putItems('default', [
      { id: 'a', title: 'A' },
      { id: 'b', title: 'B' },
      { id: 'c', title: 'C' },
    ]);
    await engine.ingest.postEvents('default', [
      { type: 'view', userId: 'u1', itemId: 'a' },
      { type: 'purchase', userId: 'u1', itemId: 'b' },
      { type: 'view', userId: 'u2', itemId: 'a' },
      { type: 'purchase', userId: 'u2', itemId: 'b' },
      { type: 'view', userId: 'u3', itemId: 'c' },
    ]);
    const stages = new Set<string>();
    const infos = await engine.train('default', { onProgress: (s) => stages.add(s) });
    expect(infos.map((i) => i.name)).toContain('cooccurrence');
    expect(stages).toContain('training cooccurrence');
    await engine.ingest.postEvents('default', [{ type: 'view', userId: 'u9', itemId: 'a' }]);
    const r = await engine.recommend.recommend('default', { userId: 'u9', n: 1, context: 'home' });
    expect(r.items[0].id).toBe('b');
    expect(r.personalized).toBe(true);
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
