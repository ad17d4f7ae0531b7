import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Engine } from '../../src/server/compose.ts';
import { buildApp } from '../../src/server/app.ts';
import type { Store } from '../../src/store/store.ts';
import { ROOT_KEY, items, testClock, caller } from '../helpers.ts';
import { onBothStoresRaw, type RawSearch } from './raw-search.ts';

/**
 * Issue 5: a unique marker goes into a person's events, traits, consent, chat (a real conversation and
 * stored documents) and recommendation logs; after DELETE /v1/users/:id (no checkpoint, no stop), neither their ids nor the marker
 * appear anywhere in the raw database (SQLite files including the WAL; every PostgreSQL table).
 */
async function scenario(store: Store, search: RawSearch) {
  const clock = testClock();
  const engine = new Engine(store, { adminKey: ROOT_KEY }, { clock, cacheMaxAgeMs: 0, retrainAfterErasureMs: null });
  await store.createWorkspace({ id: 'default', name: null, createdAt: clock() });
  const app: FastifyInstance = await buildApp({ engine });
  const tag = randomBytes(6).toString('hex');
  const userId = `erase-me-${tag}`;
  const anonId = `visitor-${tag}`;
  const marker = `MARKER${tag}`;
  const other = `keep-me-${tag}`;
  const call = caller(() => app);
  try {
    expect((await call('PUT', '/v1/items', items(6))).statusCode).toBe(200);
    const events = [
      { type: 'view', anonymousId: anonId, itemId: 'i1', properties: { note: marker } },
      { type: 'search', anonymousId: anonId, query: `running shoes ${marker}` },
      { type: 'view', userId, itemId: 'i2', properties: { ref: marker } },
      { type: 'purchase', userId, itemId: 'i3', query: marker },
      { type: 'view', userId: other, itemId: 'i2' },
      { type: 'view', userId: other, itemId: 'i3' },
    ];
    expect((await call('POST', '/v1/events', events)).json().accepted).toBe(6);
    expect((await call('POST', '/v1/alias', { anonymousId: anonId, userId })).statusCode).toBe(200);
    expect((await call('PUT', `/v1/users/${userId}`, { traits: { name: `Ana ${marker}`, email: `${tag}@example.com` } })).statusCode).toBe(200);
    expect((await call('PUT', `/v1/users/${userId}/consent`, { marketing: true, source: 'banner', policyVersion: '2026-01' })).statusCode).toBe(200);
    await store.putDocs('default', [
      { collection: 'chat', id: `ses_${tag}`, subject: userId, body: { turns: [{ role: 'user', text: `hola ${marker}` }] }, createdAt: clock() },
      { collection: 'memory', id: `mem_${tag}`, subject: userId, body: { budget: marker }, createdAt: clock() },
    ]);
    expect((await call('POST', '/v1/train', {})).statusCode).toBe(200);
    // A real conversation, remembered across sessions (chatMemory is on by default).
    const chat = await call('POST', '/v1/chat', { userId, message: `I am looking for running shoes, my name is ${marker}` });
    expect(chat.statusCode, chat.body).toBe(200);
    expect((await call('POST', '/v1/chat', { userId, sessionId: chat.json().sessionId, message: `under 80 euros ${marker}` })).statusCode).toBe(200);
    expect((await call('GET', `/v1/recommendations?userId=${userId}`)).statusCode).toBe(200);
    expect((await call('GET', `/v1/recommendations?anonymousId=${anonId}`)).statusCode).toBe(200);
    await engine.recLog.flush();

    const before = await search([userId, anonId, marker]);
    expect(before.length, 'the person is in the database before erasure').toBeGreaterThan(0);

    expect((await call('DELETE', `/v1/users/${userId}`)).statusCode).toBe(204);

    // Late events for the erased ids are dropped, and say so.
    const late = (
      await call('POST', '/v1/events', [
        { type: 'view', userId, itemId: 'i1', properties: { late: marker } },
        { type: 'view', anonymousId: anonId, itemId: 'i1' },
        { type: 'view', userId: other, itemId: 'i4' },
      ])
    ).json();
    expect(late).toMatchObject({ accepted: 1, suppressed: 2 });
    expect((await call('POST', '/v1/alias', { anonymousId: anonId, userId })).json().merged).toBe(0);
    await engine.recLog.flush();
    // No checkpoint here: the erasure itself must have cleared the WAL (issue 8, item 5).

    expect(await search([userId, anonId, marker])).toEqual([]);
    // The rest of the shop is untouched.
    expect((await store.eventsOf('default', other)).length).toBe(3);
    const audit = (await call('GET', '/v1/audit')).json().entries as Array<{ action: string; subject?: string }>;
    expect(audit.find((e) => e.action === 'user.erase')?.subject).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(audit.some((e) => e.action === 'consent.update')).toBe(false); // their consent trail went with them
    const exp = (await call('GET', `/v1/users/${userId}/export`)).json();
    expect(exp).toMatchObject({ user: null, events: [], documents: [], anonymousIds: [] });
  } finally {
    await app.close();
    await engine.close();
  }
}

onBothStoresRaw('erasure leaves zero hits', 'the ids nor the marker', scenario);
