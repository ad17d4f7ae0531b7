import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/privacy/audit.ts';
import { Pseudonymizer } from '../../src/privacy/pseudonym.ts';
import { RetentionJob } from '../../src/privacy/retention.ts';
import { RecommendationLog } from '../../src/recommend/recommendation-log.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { items, makeTestApp, testClock, type TestApp, caller } from '../helpers.ts';

const DAY = 86_400_000;

/**
 * Issue 8, item 6: every GET /v1/recommendations leaves a log document; read traffic must not fill the
 * disk. The log keeps ids, scores, the model and reasons by reference (well under 1 KB for ten items),
 * `/why` still spells out the evidence, and logs are bounded by age and by count per workspace.
 */
describe('what a recommendation log keeps', () => {
  let t: TestApp;
  afterEach(async () => t?.close());
  const call = caller(() => t.app);

  it('is well under 1 KB for ten items, and /why still gives every reason, title and piece of evidence', async () => {
    t = await makeTestApp();
    // Long ids and titles, as real shops have: the log must not grow with titles at all.
    const long = (i: number) => `sku-${String(i).padStart(6, '0')}`;
    await call(
      'PUT',
      '/v1/items',
      items(40, (i) => ({ id: long(i), title: `A rather long product title number ${i} with words`, categories: [i % 2 ? 'running shoes' : 'trail gear'] })),
    );
    await call('PUT', '/v1/settings/ranking', { rules: [{ kind: 'pin', itemId: long(39), position: 3, name: 'spring promo' }] });
    const evs: object[] = [];
    for (let u = 0; u < 30; u++) {
      for (let k = 0; k < 6; k++)
        evs.push({
          type: k === 5 ? 'purchase' : 'view',
          userId: `shopper-${u}`,
          itemId: long((u % 2) + 2 * ((u + k) % 18)),
          timestamp: t.clock() - (k + 1) * DAY,
        });
    }
    expect((await call('POST', '/v1/events', evs)).json().accepted).toBe(evs.length);
    expect((await call('POST', '/v1/train', {})).statusCode).toBe(200);

    const queries = [
      'userId=shopper-1&n=10',
      'userId=shopper-2&n=10&maxPrice=40',
      'userId=shopper-3&n=10&category=running%20shoes&minPrice=12',
      `userId=shopper-4&n=10&context=item&itemId=${long(3)}`,
      'userId=someone-new&n=10',
      'n=10',
      'userId=shopper-5&n=10&excludeSeen=true',
    ];
    for (const q of queries) {
      const r = await call('GET', `/v1/recommendations?${q}`);
      expect(r.statusCode, r.body).toBe(200);
      const answer = r.json();
      expect(answer.items.length).toBe(10);
      await t.engine.recLog.flush();
      const doc = await t.engine.store.getDoc('default', 'recommendation', answer.recommendationId);
      const bytes = Buffer.byteLength(JSON.stringify(doc!.body)) + doc!.id.length + (doc!.subject?.length ?? 0);
      expect(bytes, `${q}: ${JSON.stringify(doc!.body)}`).toBeLessThan(900); // the worst case here: long ids, two filters, a pin, seven rule lines (the demo: ~0.8 KB)
      expect(JSON.stringify(doc!.body)).not.toContain('A rather long product title');

      const why = (await call('GET', `/v1/recommendations/${answer.recommendationId}/why`)).json();
      expect(why.model).toBe(answer.model);
      expect(why.personalized).toBe(answer.personalized);
      expect(why.items.map((i: { id: string }) => i.id)).toEqual(answer.items.map((i: { id: string }) => i.id));
      // The same reasons, word for word, as the answer gave.
      expect(
        why.items.map((i: { reasons: string[] }) => i.reasons),
        q,
      ).toEqual(answer.items.map((i: { reasons: string[] }) => i.reasons));
      for (const [k, it] of why.items.entries()) {
        expect(it.score).toBe(answer.items[k].score);
        expect(it.evidence.personalScore).toBeGreaterThanOrEqual(0);
        if (it.evidence.basedOn) expect(it.evidence.basedOn.title).toMatch(/^A rather long product title number \d+ with words$/);
      }
      expect(why.rules).toContain('only available items');
      if (q.includes('maxPrice')) expect(why.rules).toContain('price ≤ 40');
      if (q.includes('category')) expect(why.rules).toEqual(expect.arrayContaining(['category: running shoes', 'price ≥ 12']));
    }
    const personal = (await call('GET', '/v1/recommendations?userId=shopper-1&n=10')).json();
    const why = (await call('GET', `/v1/recommendations/${personal.recommendationId}/why`)).json(); // from the unflushed buffer
    expect(why.items.some((i: { evidence: { basedOn?: { event: { type: string; at: string } } } }) => i.evidence.basedOn?.event.at)).toBe(true);
    expect(why.rules).toContain('rule: spring promo');
    expect(why.items.flatMap((i: { reasons: string[] }) => i.reasons)).toContain('Featured');
  });

  it('still explains logs written in the earlier, spelled-out form', async () => {
    t = await makeTestApp();
    await call('PUT', '/v1/items', items(3));
    const body = {
      model: 'hybrid',
      personalized: true,
      context: 'home',
      historyUsed: 2,
      rules: ['only available items'],
      items: [{ id: 'i1', score: 0.5, reasons: ['Because you viewed Item 0'], evidence: { id: 'i1' } }],
    };
    await t.engine.store.putDocs('default', [
      { collection: 'recommendation', id: 'rec_old_form', subject: 'ana', body: { v: 1, ...body }, createdAt: t.clock() },
    ]);
    const why = (await call('GET', '/v1/recommendations/rec_old_form/why')).json();
    expect(why).toMatchObject({ userId: 'ana', model: 'hybrid', rules: ['only available items'], items: body.items });
  });
});

describe('recommendation logs are bounded by default', () => {
  it('keeps at most maxPerWorkspace logs per workspace, the newest', async () => {
    const store = new SqliteStore(':memory:');
    await store.migrate();
    const log = new RecommendationLog(store, { maxPerWorkspace: 50 });
    try {
      for (let i = 0; i < 400; i++) {
        log.add('a', {
          collection: 'recommendation',
          id: `rec_${i}`,
          subject: 'u',
          body: { model: 'x', personalized: false, context: 'home', items: [] },
          createdAt: 1000 + i,
        });
        if (i % 37 === 0) await log.flush();
        if (i < 20) log.add('b', { collection: 'recommendation', id: `rec_${i}`, subject: 'u', body: {}, createdAt: 1000 + i });
      }
      await log.flush();
      const a = await store.listDocs('a', 'recommendation', { limit: 10_000 });
      expect(a.length).toBe(50);
      expect(a.map((d) => d.id)).toContain('rec_399');
      expect(a.map((d) => d.id)).not.toContain('rec_349');
      expect((await store.listDocs('b', 'recommendation', { limit: 10_000 })).length).toBe(20); // each workspace its own bound
    } finally {
      await log.close();
      await store.close();
    }
  });

  it('deletes recommendation logs older than 30 days even when events are kept forever', async () => {
    const store = new SqliteStore(':memory:');
    await store.migrate();
    const clock = testClock();
    await store.createWorkspace({ id: 'default', name: null, createdAt: clock() });
    const now = clock();
    await store.putDocs('default', [
      { collection: 'recommendation', id: 'rec_old', subject: 'ana', body: {}, createdAt: now - 31 * DAY },
      { collection: 'recommendation', id: 'rec_recent', subject: 'ana', body: {}, createdAt: now - 29 * DAY },
      { collection: 'chat_session', id: 'ses_old', subject: 'ana', body: {}, createdAt: now - 400 * DAY },
    ]);
    const job = new RetentionJob(
      store,
      { eventMaxAgeDays: null, auditMaxAgeDays: null, intervalMs: 3_600_000 },
      new AuditLog(store, new Pseudonymizer(store), clock),
      clock,
    );
    const run = await job.run();
    expect(run).toMatchObject({ documents: 1, recommendationCutoff: new Date(now - 30 * DAY).toISOString() });
    expect(await store.getDoc('default', 'recommendation', 'rec_old')).toBeNull();
    expect(await store.getDoc('default', 'recommendation', 'rec_recent')).not.toBeNull();
    expect(await store.getDoc('default', 'chat_session', 'ses_old')).not.toBeNull(); // only the logs have the default limit
    await store.close();
  });
});
