import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastJson from 'fast-json-stringify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { answerJson, RecommendService, type Recommendation } from '../../src/recommend/recommend-service.ts';
import { recommendationSchema } from '../../src/recommend/routes.ts';
import { Engine } from '../../src/server/compose.ts';
import { testClock } from '../helpers.ts';

/**
 * Issue 13: a person's page is composed once and served again while its inputs hold (their history,
 * profile, traits, consent, the models, the settings and the page's own filters). With the caches on,
 * as `afin serve` runs: every test here would pass without the memo, and must keep passing with it.
 */
const DAY = 86_400_000;
const ws = 'default';
let dir: string;
let engine: Engine;
let clock: ReturnType<typeof testClock>;
const composed = () => vi.spyOn(RecommendService.prototype as any, 'composeServed');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'afin-page-memo-'));
  clock = testClock();
  engine = await Engine.open({ ...loadConfig({}), dataDir: dir }, { clock });
  // Two languages and two categories; "en" shoppers like shoes, "es" shoppers like lamps.
  await engine.ingest.putItems(
    ws,
    Array.from({ length: 12 }, (_, i) => ({
      id: `i${i}`,
      title: `Item "${i}" \u2028 ñ`,
      categories: [i % 2 ? 'lamps' : 'shoes'],
      price: 10 + i,
      currency: 'EUR',
      language: i < 6 ? 'en' : 'es',
    })),
  );
  const evs: object[] = [];
  for (let u = 0; u < 8; u++)
    for (let k = 0; k < 5; k++)
      evs.push({ type: k === 4 ? 'purchase' : 'view', userId: `u${u}`, itemId: `i${(u % 2) + 2 * ((u + k) % 6)}`, timestamp: clock() - (k + 2) * DAY });
  evs.push({ type: 'view', userId: 'p', itemId: 'i1', timestamp: clock() - DAY }, { type: 'add_to_cart', userId: 'p', itemId: 'i3', timestamp: clock() - DAY });
  await engine.ingest.postEvents(ws, evs);
  await engine.train(ws);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

const ask = (q: Record<string, unknown> = {}) => engine.recommend.recommend(ws, { userId: 'p', n: 4, context: 'home', ...q });
const logsOf = async (subject: string) => {
  await engine.recLog.flush();
  return (await engine.store.docsOfSubject(ws, subject)).filter((d) => d.collection === 'recommendation');
};

describe('a memoised page', () => {
  it('is served again with its own id and log, each log counting ages from its own answer', async () => {
    const first = await ask();
    expect(first.personalized).toBe(true);
    const spy = composed();
    clock.advance(7000);
    const again = await ask();
    expect(spy).not.toHaveBeenCalled(); // the memo answered
    expect(again.items).toEqual(first.items);
    expect(again.recommendationId).not.toBe(first.recommendationId);
    const docs = await logsOf('p');
    const byId = new Map(docs.map((d) => [d.id, d]));
    const a = byId.get(first.recommendationId)!.body as { s?: Array<[string, string, number]> };
    const b = byId.get(again.recommendationId)!.body as { s?: Array<[string, string, number]> };
    expect(a.s?.length).toBeGreaterThan(0);
    expect(b.s!.map((r) => r[2] - 7)).toEqual(a.s!.map((r) => r[2]));
    expect({ ...b, s: null }).toEqual({ ...a, s: null });
  });

  it('is not served after the person withdraws consent or is erased, and an erased person leaves no log', async () => {
    await ask();
    expect((await ask()).personalized).toBe(true);
    await engine.consent.update(ws, 'p', { personalization: false });
    expect((await ask()).personalized).toBe(false);
    await engine.consent.update(ws, 'p', { personalization: true });
    expect((await ask()).personalized).toBe(true);
    await engine.privacy.erase(ws, 'p', { source: 'test' });
    const after = await ask();
    expect(after.personalized).toBe(false);
    expect(await logsOf('p')).toEqual([]);
  });

  it('changes at once with the person’s language, the page’s filters and a new event', async () => {
    await engine.ingest.putUser(ws, 'p', { traits: { language: 'es' } });
    const es = await ask({ n: 6 });
    await ask({ n: 6 });
    await engine.ingest.putUser(ws, 'p', { traits: { language: 'en' } });
    const en = await ask({ n: 6 });
    expect(en.items.map((i) => i.id)).not.toEqual(es.items.map((i) => i.id));
    expect(en.items.filter((i) => Number(i.id.slice(1)) < 6).length).toBeGreaterThan(es.items.filter((i) => Number(i.id.slice(1)) < 6).length);

    const cheap = await ask({ n: 6, maxPrice: 14 });
    expect(cheap.items.every((i) => (i.price ?? 0) <= 14)).toBe(true);
    expect((await ask({ n: 6, exclude: [en.items[0].id] })).items.map((i) => i.id)).not.toContain(en.items[0].id);

    await engine.ingest.postEvents(ws, [{ type: 'purchase', userId: 'p', itemId: en.items[0].id, timestamp: clock() }]);
    expect((await ask({ n: 6 })).items.map((i) => i.id)).not.toContain(en.items[0].id); // bought: left out
  });

  it('changes with the person’s profile, read again with other content while the events stay the same', async () => {
    const interest = (r: Recommendation) => r.items.flatMap((i) => i.reasons).filter((x) => x.startsWith('Matches your interest in '));
    const before = await ask({ n: 6 });
    expect(interest(before).length).toBeGreaterThan(0);
    // Unchanged content read again (as after the per-person cache's time limit): the memo answers.
    const profile = (await engine.store.getProfile(ws, 'p'))!;
    await engine.store.putProfiles(ws, [{ subject: 'p', profile: structuredClone(profile) }]);
    const spy = composed();
    expect((await ask({ n: 6 })).items).toEqual(before.items);
    expect(spy).not.toHaveBeenCalled();
    // Other content, the same events: composed again, the interests gone.
    await engine.store.putProfiles(ws, [{ subject: 'p', profile: { ...profile, categories: {} } }]);
    const after = await ask({ n: 6 });
    expect(spy).toHaveBeenCalled();
    expect(interest(after)).toEqual([]);
  });

  it('is written as JSON exactly as the route’s response schema writes the answer', async () => {
    const write = fastJson(recommendationSchema as Parameters<typeof fastJson>[0]);
    const answer = await ask();
    expect(answerJson(answer)).toBe(write(answer));
    const inExperiment: Recommendation = { ...answer, experiment: 'exp "1"', variant: 'b\u2028' };
    expect(answerJson(inExperiment)).toBe(write(inExperiment));
    // An answer not from a memoised page is left to the schema.
    expect(answerJson({ ...answer, items: [...answer.items] })).toBeNull();
  });
});
