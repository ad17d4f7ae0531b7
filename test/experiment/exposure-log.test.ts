import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPOSURE_COLLECTION, ExposureLog } from '../../src/experiment/exposure-log.ts';
import { DECISION_COLLECTION, DecisionService } from '../../src/present/decision-service.ts';
import type { Doc } from '../../src/store/store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

/** The one buffered log that experiments and decision points write through, and its bound per workspace. */
const WS = 'default';
let store: SqliteStore;
let logs: ExposureLog[] = [];
beforeEach(async () => {
  store = new SqliteStore(':memory:');
  await store.migrate();
});
afterEach(async () => {
  for (const l of logs) await l.close();
  logs = [];
  await store.close();
});

const open = (opts: ConstructorParameters<typeof ExposureLog>[1]) => {
  const log = new ExposureLog(store, { intervalMs: 60_000, ...opts });
  logs.push(log);
  return log;
};
const doc = (collection: string, i: number, subject: string | null = `p${i}`): Doc => ({
  collection,
  id: `${collection}-${i}`,
  subject,
  body: { i },
  createdAt: 1_000 + i,
});
const count = async (collection: string) => (await store.listDocs(WS, collection)).length;

describe('ExposureLog', () => {
  it('keeps at most maxPerWorkspace documents of its collection, the newest, and never trims another', async () => {
    const log = open({ maxPerWorkspace: 20 });
    for (let i = 0; i < 60; i++) log.add(WS, doc(EXPOSURE_COLLECTION, i));
    for (let i = 0; i < 30; i++) log.add(WS, doc('assignment:hero', i));
    await log.flush();
    // Trimming runs every tenth of the bound, so the log may hold up to one tenth more between trims.
    const kept = (await store.listDocs(WS, EXPOSURE_COLLECTION)).map((d) => d.body.i as number);
    expect(kept.length).toBeGreaterThanOrEqual(20);
    expect(kept.length).toBeLessThanOrEqual(22);
    expect(Math.min(...kept)).toBeGreaterThanOrEqual(60 - kept.length);
    expect(await count('assignment:hero')).toBe(30);
  });

  it('bounds the collection it is given instead of the exposures', async () => {
    const log = open({ collection: 'decision', maxPerWorkspace: 10 });
    for (let i = 0; i < 50; i++) log.add(WS, doc('decision', i));
    for (let i = 0; i < 50; i++) log.add(WS, doc(EXPOSURE_COLLECTION, i));
    await log.flush();
    expect(await count('decision')).toBeLessThanOrEqual(11);
    expect(await count(EXPOSURE_COLLECTION)).toBe(50);
  });

  it('drops what it holds about an erased person, at the flush and on forget', async () => {
    const erased = new Set(['p1']);
    const log = open({ isErased: async (_ws, s) => erased.has(s) });
    log.add(WS, doc(EXPOSURE_COLLECTION, 1));
    log.add(WS, doc(EXPOSURE_COLLECTION, 2));
    log.add(WS, doc(EXPOSURE_COLLECTION, 3));
    await log.forget(WS, ['p3']);
    await log.flush();
    expect((await store.listDocs(WS, EXPOSURE_COLLECTION)).map((d) => d.subject)).toEqual(['p2']);
  });
});

describe("a decision point's log", () => {
  it('keeps at most maxDecisionsPerWorkspace decisions', async () => {
    let now = 1_000_000;
    // The log keeps the newest by time, so each decision comes a second after the last.
    const decisions = new DecisionService(
      { store, clock: () => (now += 1000), subjectOf: async (_ws, ids) => ids.userId ?? 'anon', mayPersonalize: async () => false },
      { maxDecisionsPerWorkspace: 10, logIntervalMs: 60_000 },
    );
    logs.push(decisions.log);
    for (let i = 0; i < 40; i++) await decisions.decide(WS, { userId: `u${i}`, point: 'home', options: [{ id: 'a' }, { id: 'b' }] });
    await decisions.log.flush();
    expect(await count(DECISION_COLLECTION)).toBeGreaterThanOrEqual(10);
    expect(await count(DECISION_COLLECTION)).toBeLessThanOrEqual(11);
  });
});
