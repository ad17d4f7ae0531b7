import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Engine } from '../../src/server/compose.ts';
import { buildApp } from '../../src/server/app.ts';
import type { Store } from '../../src/store/store.ts';
import { ROOT_KEY, items, testClock, caller } from '../helpers.ts';
import { onBothStoresRaw, type RawSearch } from './raw-search.ts';

/**
 * Issue 8, item 9: suppression after an erasure covered events only. A later chat message or
 * recommendation request for the erased id recreated chat sessions, memory and recommendation logs
 * holding the id and the new words, and answered `personalized: true`. Now every path public traffic
 * reaches answers non-personally and writes nothing naming the person; the raw store is searched.
 */
async function scenario(store: Store, search: RawSearch) {
  const clock = testClock();
  const engine = new Engine(store, { adminKey: ROOT_KEY }, { clock, cacheMaxAgeMs: 0, retrainAfterErasureMs: null });
  await store.createWorkspace({ id: 'default', name: null, createdAt: clock() });
  const app: FastifyInstance = await buildApp({ engine });
  const tag = randomBytes(6).toString('hex');
  const userId = `gone-${tag}`;
  const anonId = `gone-visitor-${tag}`;
  const marker = `LATER${tag}`;
  const call = caller(() => app);
  try {
    expect((await call('PUT', '/v1/items', items(20))).statusCode).toBe(200);
    const events = [];
    // The person and a few others with overlapping tastes, so that the person's answers are personal.
    for (const [u, ids] of [
      [userId, ['i1', 'i3', 'i5']],
      [`a-${tag}`, ['i1', 'i3', 'i7']],
      [`b-${tag}`, ['i3', 'i5', 'i7']],
      [`c-${tag}`, ['i1', 'i5', 'i9']],
    ] as const) {
      for (const itemId of ids) events.push({ type: 'purchase', userId: u, itemId });
    }
    events.push({ type: 'view', anonymousId: anonId, itemId: 'i2' });
    expect((await call('POST', '/v1/events', events)).json().accepted).toBe(events.length);
    expect((await call('POST', '/v1/alias', { anonymousId: anonId, userId })).statusCode).toBe(200);
    expect((await call('POST', '/v1/train', {})).statusCode).toBe(200);
    const before = (await call('GET', `/v1/recommendations?userId=${userId}`)).json();
    expect(before.personalized, 'the person gets personal answers before the erasure').toBe(true);
    expect((await call('POST', '/v1/chat', { userId, message: 'I like odd items' })).statusCode).toBe(200);

    expect((await call('DELETE', `/v1/users/${userId}`)).statusCode).toBe(204);
    await engine.recLog.flush();
    expect(await search([userId, anonId])).toEqual([]);

    // Later traffic naming the erased ids, from a browser's public key and from the shop's server.
    const pub = { authorization: `Bearer ${(await call('POST', '/v1/keys', { scope: 'public' })).json().key}` };
    const chat = await call('POST', '/v1/chat', { userId, message: `I want something under 30 euros ${marker}` }, pub);
    expect(chat.statusCode).toBe(200);
    expect(chat.json().personalized).toBe(false);
    const again = await call('POST', '/v1/chat', { userId, sessionId: chat.json().sessionId, message: `the cheapest one ${marker}` }, pub);
    expect(again.statusCode).toBe(200);
    expect((await call('POST', '/v1/chat', { userId, sessionId: `ses-${tag}`, message: `hello ${marker}` }, pub)).statusCode).toBe(200);
    // Proven (server key): privacy requests record nothing for someone who is not there.
    expect((await call('POST', '/v1/chat', { userId, message: "I don't want personalized recommendations" })).statusCode).toBe(200);
    expect((await call('POST', '/v1/chat', { userId, message: `forget me ${marker}` })).statusCode).toBe(200);
    expect((await call('GET', `/v1/chat/opener?userId=${userId}`, undefined, pub)).statusCode).toBe(200);
    for (const q of [`userId=${userId}`, `anonymousId=${anonId}`, `userId=${userId}&context=chat`]) {
      const r = await call('GET', `/v1/recommendations?${q}`, undefined, pub);
      expect(r.statusCode, q).toBe(200);
      expect(r.json().personalized, q).toBe(false);
      // No log was written for it: its explanation is not found.
      expect((await call('GET', `/v1/recommendations/${r.json().recommendationId}/why`)).statusCode, q).toBe(404);
    }
    const late = (await call('POST', '/v1/events', [{ type: 'view', userId, itemId: 'i4', properties: { m: marker } }], pub)).json();
    expect(late).toMatchObject({ accepted: 0, suppressed: 1 });
    await engine.recLog.flush();

    expect(await search([userId, anonId, marker])).toEqual([]);
    expect(await store.getDoc('default', 'chat_memory', userId)).toBeNull();

    // The shop's server may deliberately record consent again; the suppression still holds until lifted.
    expect((await call('PUT', `/v1/users/${userId}/consent`, { personalization: true, chatMemory: true })).statusCode).toBe(200);
    expect((await call('GET', `/v1/recommendations?userId=${userId}`, undefined, pub)).json().personalized).toBe(false);
    expect(await engine.consent.policy('default', userId)).toMatchObject({ erased: true, personalization: false, chatMemory: false });
    expect((await call('DELETE', `/v1/suppressions/${userId}`)).statusCode).toBe(204);
    expect(await engine.consent.policy('default', userId)).toMatchObject({ erased: false, personalization: true, chatMemory: true });
  } finally {
    await app.close();
    await engine.close();
  }
}

onBothStoresRaw('after an erasure, later requests store nothing naming the person', 'the ids nor the later words', scenario);
