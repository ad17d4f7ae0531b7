import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DecisionService } from '../../src/present/decision-service.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { testClock } from '../helpers.ts';

let dir: string;
let store: SqliteStore;
const clock = testClock();
const services: DecisionService[] = [];

const service = (opts: ConstructorParameters<typeof DecisionService>[1] = {}) => {
  const s = new DecisionService(
    { store, clock, subjectOf: async (_ws, ids) => ids.userId ?? `anon:${ids.anonymousId}`, mayPersonalize: async () => false },
    opts,
  );
  services.push(s);
  return s;
};
const options = [{ id: 'a' }, { id: 'b' }];
const arms = async (point: string) => (await store.getDoc('w', 'decision-model', point))?.body.arms as Record<string, { n: number }> | undefined;
const learnt = async (point: string) => Object.values((await arms(point)) ?? {}).reduce((n, a) => n + a.n, 0);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'afin-learn-'));
  store = new SqliteStore(join(dir, 'afin.db'));
  await store.migrate();
  await store.createWorkspace({ id: 'w', name: null, createdAt: clock() });
});
afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('learning decisions', () => {
  it('keeps its cursor across restarts: what was learnt is not learnt again', async () => {
    const first = service({ learnEveryMs: 0 });
    for (let i = 0; i < 5; i++) await first.decide('w', { userId: `u${i}`, point: 'p', options });
    clock.advance(25 * 3_600_000);
    await first.learn('w');
    expect(await learnt('p')).toBe(5);
    await first.close();

    // A new process on the same store: its first pass finds the cursor and learns only the new decision.
    const second = service({ learnEveryMs: 0 });
    await second.decide('w', { userId: 'late', point: 'p', options });
    await second.learn('w');
    expect(await learnt('p')).toBe(5);
    clock.advance(25 * 3_600_000);
    await second.learn('w');
    expect(await learnt('p')).toBe(6);
  });

  it('keeps models for at most maxPointsPerWorkspace points, the least recently learnt going first', async () => {
    const s = service({ learnEveryMs: 0, maxPointsPerWorkspace: 2 });
    for (const point of ['p1', 'p2', 'p3']) {
      await s.decide('w', { userId: 'u', point, options });
      clock.advance(25 * 3_600_000);
      await s.learn('w');
      clock.advance(1000);
    }
    expect(await learnt('p3')).toBe(1);
    expect(await learnt('p2')).toBe(1);
    expect(await arms('p1')).toBeUndefined();
  });

  it('learns every point of the workspace in one pass, each with its own window', async () => {
    const s = service({ learnEveryMs: 0 });
    await s.savePoint('w', 'short', { attributionWindowHours: 1 });
    await s.savePoint('w', 'long', { attributionWindowHours: 48 });
    await s.decide('w', { userId: 'u', point: 'short', options });
    await s.decide('w', { userId: 'u', point: 'long', options });
    clock.advance(2 * 3_600_000);
    await s.learn('w');
    expect(await learnt('short')).toBe(1);
    expect(await learnt('long')).toBe(0);
    clock.advance(48 * 3_600_000);
    await s.learn('w');
    expect(await learnt('long')).toBe(1);
    expect(await learnt('short')).toBe(1);
  });
});
