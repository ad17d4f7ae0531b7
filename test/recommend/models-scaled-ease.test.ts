import { afterEach, describe, expect, it } from 'vitest';
import { Ease } from '../../src/recommend/models/ease.ts';
import { ScaledEase } from '../../src/recommend/models/ease-scaled.ts';
import { ItemKnn } from '../../src/recommend/models/itemknn.ts';
import { planBySize, sizePlanOf, trainingMemoryBudget } from '../../src/recommend/models/size-plan.ts';
import type { HistoryEntry, Interactions } from '../../src/recommend/models/types.ts';
import { MODELS, restoreModel } from '../../src/recommend/registry.ts';
import { Engine } from '../../src/server/compose.ts';
import { buildApp } from '../../src/server/app.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { rng } from '../../src/stats/random.ts';
import { ROOT_KEY, items, testClock, caller } from '../helpers.ts';

/**
 * Two taste groups of 8 items: items g·8 + 0..3 are the group's head (every one of its users has
 * them), g·8 + 4..7 its tail (each user has 2 of them, seeded). Nothing crosses groups.
 */
function headAndTail(seed = 3): Interactions {
  const rand = rng(seed);
  const users: number[] = [];
  const its: number[] = [];
  for (let g = 0; g < 2; g++)
    for (let u = 0; u < 20; u++) {
      const user = g * 20 + u;
      for (let k = 0; k < 4; k++) {
        users.push(user);
        its.push(g * 8 + k);
      }
      const a = 4 + Math.floor(rand() * 4);
      const b = 4 + ((a - 4 + 1 + Math.floor(rand() * 3)) % 4);
      for (const t of [a, b]) {
        users.push(user);
        its.push(g * 8 + t);
      }
    }
  return {
    nUsers: 40,
    nItems: 16,
    users: Int32Array.from(users),
    items: Int32Array.from(its),
    weights: new Float32Array(users.length).fill(1),
    times: new Float64Array(users.length),
  };
}

const h = (...items: number[]): HistoryEntry[] => items.map((item) => ({ item, weight: 1, time: 0 }));

describe('planBySize', () => {
  it('keeps every item in EASE while it fits, else names the bound that chose the head', () => {
    expect(planBySize(1000, 12 * 1000 * 1000, 5000)).toMatchObject({ model: 'ease', items: 1000, head: 1000 });
    const byMemory = planBySize(1000, 12 * 300 * 300, 5000);
    expect(byMemory).toMatchObject({ model: 'ease+knn-tail', head: 300 });
    expect(byMemory.reason).toMatch(/memory budget/);
    const byCap = planBySize(100_000, 8 * 1024 ** 3, 5000);
    expect(byCap).toMatchObject({ model: 'ease+knn-tail', head: 5000, budgetMB: 8192, denseMB: Math.round((12 * 5000 * 5000) / 1024 ** 2) });
    expect(byCap.reason).toMatch(/capped at 5000/);
  });

  it('takes the budget from AFIN_TRAIN_MEMORY_MB when set, never above half the free memory', () => {
    expect(trainingMemoryBudget({ AFIN_TRAIN_MEMORY_MB: '1' })).toBe(1024 * 1024);
    expect(trainingMemoryBudget({ AFIN_TRAIN_MEMORY_MB: '0.5' })).toBe(512 * 1024);
    expect(trainingMemoryBudget({ AFIN_TRAIN_MEMORY_MB: '1e12' })).toBeLessThan(1e18);
    const auto = trainingMemoryBudget({});
    expect(auto).toBeGreaterThan(0);
    expect(trainingMemoryBudget({ AFIN_TRAIN_MEMORY_MB: 'lots' })).toBe(auto);
  });
});

describe('ScaledEase', () => {
  const data = headAndTail();

  it('is plain EASE when every item fits, and saves as one', () => {
    const m = new ScaledEase({ lambda: 5, memoryBytes: 1e9 });
    m.fit(data);
    expect(m.plan).toMatchObject({ model: 'ease', items: 16, head: 16 });
    const plain = new Ease({ lambda: 5, memoryBytes: 1e9 });
    plain.fit(data);
    const a = m.score(h(0, 5), 0).scores;
    const b = plain.score(h(0, 5), 0).scores;
    for (let i = 0; i < 16; i++) expect(a[i]).toBeCloseTo(b[i], 6);
    expect(restoreModel(m.save())).toBeInstanceOf(Ease);
  });

  it('past the dense cap: EASE on the head, item-kNN on EASE’s scale for the tail', () => {
    const m = new ScaledEase({ lambda: 5, maxItems: 8, memoryBytes: 1e9 });
    m.fit(data);
    expect(m.plan).toMatchObject({ model: 'ease+knn-tail', items: 16, head: 8 });
    expect(m.tailScale).toBeGreaterThan(0);
    // A head history: its group's tail items get scores, the other group's tail none.
    const fromHead = m.score(h(0), 0).scores;
    for (let t = 4; t < 8; t++) expect(fromHead[t]).toBeGreaterThan(0);
    for (let t = 12; t < 16; t++) expect(Number.isNaN(fromHead[t])).toBe(true);
    // A tail-only history still reaches its group's head items (which plain head-only EASE cannot).
    const fromTail = m.score(h(5), 0).scores;
    for (let j = 0; j < 4; j++) expect(fromTail[j]).toBeGreaterThan(0);
    for (let j = 8; j < 12; j++) expect(Number.isNaN(fromTail[j])).toBe(true);
    // A head item's score: EASE's votes plus c × the kNN votes of the tail part of the history.
    const knn = new ItemKnn({ neighbors: 100, shrink: 10, signal: 'binary' });
    knn.fit(data);
    const tailVotes = knn.score(h(5), 0).scores;
    const both = m.score(h(0, 5), 0).scores;
    for (let j = 1; j < 4; j++) expect(both[j]).toBeCloseTo(fromHead[j] + m.tailScale * tailVotes[j], 5);
    // A tail item's score is c × its kNN votes from the whole history.
    const allVotes = knn.score(h(0, 5), 0).scores;
    for (let t = 4; t < 8; t++) if (t !== 5) expect(both[t]).toBeCloseTo(m.tailScale * allVotes[t], 5);
  });

  it('bounds the head by the memory budget, and restores the tail model with its plan', () => {
    const m = new ScaledEase({ lambda: 5, memoryBytes: 12 * 6 * 6 });
    m.fit(data);
    expect(m.plan).toMatchObject({ model: 'ease+knn-tail', head: 6 });
    expect(m.plan?.reason).toMatch(/memory budget/);
    const back = restoreModel(m.save()) as ScaledEase;
    expect(back).toBeInstanceOf(ScaledEase);
    expect(back.plan).toEqual(m.plan);
    const a = m.score(h(1, 6, 13), 0).scores;
    const b = back.score(h(1, 6, 13), 0).scores;
    for (let i = 0; i < 16; i++) expect(b[i]).toEqual(a[i]);
    expect(Array.from(back.similar(6, 5).items)).toEqual(Array.from(m.similar(6, 5).items));
    expect(m.similar(6, 5).items.length).toBeGreaterThan(0);
  });

  it('the served default (hybrid) holds it, and its plan is found through the blend', () => {
    const hybrid = MODELS.hybrid.create(Array.from({ length: 16 }, () => null));
    hybrid.fit(data);
    expect(sizePlanOf(hybrid)).toMatchObject({ model: 'ease', items: 16 });
    expect(sizePlanOf(MODELS.popularity.create([]))).toBeNull();
  });
});

describe('training records the plan (API)', () => {
  const saved = process.env.AFIN_TRAIN_MEMORY_MB;
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    if (saved === undefined) delete process.env.AFIN_TRAIN_MEMORY_MB;
    else process.env.AFIN_TRAIN_MEMORY_MB = saved;
    for (const c of cleanups.splice(0)) await c();
  });

  it('a budget too small for the catalogue trains EASE on the head plus a tail, named in GET /v1/models', async () => {
    // 12 bytes per dense cell: 0.0005 MB holds a 6-item EASE of the 20-item shop.
    process.env.AFIN_TRAIN_MEMORY_MB = '0.0005';
    const store = new SqliteStore(':memory:');
    await store.migrate();
    const clock = testClock();
    await store.createWorkspace({ id: 'default', name: null, createdAt: clock() });
    const engine = new Engine(store, { adminKey: ROOT_KEY }, { clock, cacheMaxAgeMs: 0 });
    const app = await buildApp({ engine });
    cleanups.push(async () => {
      await app.close();
      await engine.close();
    });
    const call = caller(() => app);
    expect((await call('PUT', '/v1/items', items(20))).statusCode).toBe(200);
    const evs: object[] = [];
    for (let u = 0; u < 40; u++) for (let k = 0; k < 20; k += 2) if ((u + k) % 3) evs.push({ type: 'view', userId: `u${u}`, itemId: `i${(u % 2) + k}` });
    expect((await call('POST', '/v1/events', evs)).json().accepted).toBe(evs.length);
    const r = await call('POST', '/v1/train', { model: 'ease' });
    expect(r.statusCode, r.body).toBe(200);
    const ease = (await call('GET', '/v1/models')).json().models.find((m: { name: string }) => m.name === 'ease');
    expect(ease.plan).toMatchObject({ model: 'ease+knn-tail', items: 20, head: 6 });
  });
});
