import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { Engine } from '../../src/server/compose.ts';
import { buildApp } from '../../src/server/app.ts';
import { items } from '../helpers.ts';
import { sqliteFileHits } from './raw-search.ts';

/**
 * Issue 8, item 5: the erasure is on disk before its 204, on the running server's own files. The
 * server is composed as `afin serve` composes it (Engine.open on a data folder: training in a worker
 * thread, the batched recommendation log) and driven over HTTP; the raw files are read while it runs,
 * with no checkpoint and no stop.
 */
it('after DELETE /v1/users/:id answers 204, afin.db, -wal and -shm hold neither the ids nor the marker', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'afin-erase-live-'));
  const key = `root-${randomBytes(8).toString('hex')}`;
  const engine = await Engine.open({ ...loadConfig({}), dataDir: dir, adminKey: key });
  const app = await buildApp({ engine });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null };
  };
  const tag = randomBytes(6).toString('hex');
  const userId = `erase-me-${tag}`;
  const anonId = `visitor-${tag}`;
  const marker = `MARKER${tag}`;
  const file = join(dir, 'afin.db');
  const search = () => sqliteFileHits(file, [userId, anonId, marker]);
  try {
    expect((await call('PUT', '/v1/items', items(12))).status).toBe(200);
    const evs: object[] = [];
    for (let k = 0; k < 40; k++) evs.push({ type: 'view', userId, itemId: `i${k % 12}`, properties: { note: `${marker}-${k}` } });
    evs.push({ type: 'view', anonymousId: anonId, itemId: 'i1', properties: { note: marker } });
    for (let u = 0; u < 20; u++)
      evs.push({ type: 'purchase', userId: `other-${u}`, itemId: `i${u % 12}` }, { type: 'view', userId: `other-${u}`, itemId: `i${(u + 1) % 12}` });
    expect((await call('POST', '/v1/events', evs)).json.accepted).toBe(evs.length);
    expect((await call('POST', '/v1/alias', { anonymousId: anonId, userId })).status).toBe(200);
    expect((await call('PUT', `/v1/users/${userId}`, { traits: { name: `Ana ${marker}` } })).status).toBe(200);
    expect((await call('PUT', `/v1/users/${userId}/consent`, { marketing: true })).status).toBe(200);
    expect((await call('POST', '/v1/train', {})).status).toBe(200);
    expect((await call('POST', '/v1/chat', { userId, message: `running shoes please, I am ${marker}` })).status).toBe(200);
    expect((await call('GET', `/v1/recommendations?userId=${userId}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1200)); // the recommendation log's batch reaches the store
    // ...and one more, still in the log's pending buffer when the erasure comes.
    expect((await call('GET', `/v1/recommendations?anonymousId=${anonId}`)).status).toBe(200);
    expect((await call('GET', `/v1/recommendations?userId=${userId}`)).status).toBe(200);
    expect(search().length, 'the person is on disk before the erasure').toBeGreaterThan(0);

    expect((await call('DELETE', `/v1/users/${userId}`)).status).toBe(204);
    expect(search()).toEqual([]);
    // Nothing buffered writes them back later (the recommendation log flushes every second).
    await new Promise((r) => setTimeout(r, 1500));
    expect(search()).toEqual([]);
    // The server is still up and serving the rest of the shop.
    expect((await call('GET', '/v1/recommendations?userId=other-1')).status).toBe(200);
  } finally {
    await app.close();
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
