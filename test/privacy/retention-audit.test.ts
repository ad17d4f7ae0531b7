import { afterEach, describe, expect, it } from 'vitest';
import { items } from '../helpers.ts';
import { bearer, makeConfiguredApp, type ConfiguredApp } from '../security/app.ts';
import { storedEvent } from '../stored-event.ts';

let t: ConfiguredApp;
afterEach(async () => t?.close());
const DAY = 86_400_000;

describe('retention', () => {
  const retention = { eventMaxAgeDays: 30, auditMaxAgeDays: 400, intervalMs: 3_600_000 };

  async function seedAges() {
    await t.call('PUT', '/v1/items', items(3));
    const now = t.clock();
    await t.call('POST', '/v1/events', [
      { messageId: 'old', type: 'view', userId: 'ana', itemId: 'i1', timestamp: now - 31 * DAY },
      { messageId: 'edge', type: 'view', userId: 'ana', itemId: 'i1', timestamp: now - 29 * DAY },
      { messageId: 'new', type: 'view', userId: 'ana', itemId: 'i2' },
    ]);
    await t.store.putDocs('default', [
      { collection: 'recommendation', id: 'rec_old', subject: 'ana', body: {}, createdAt: now - 40 * DAY },
      { collection: 'recommendation', id: 'rec_new', subject: 'ana', body: {}, createdAt: now },
      { collection: 'audit', id: 'aud_ancient', subject: null, body: { action: 'x', actor: {} }, createdAt: now - 500 * DAY },
    ]);
  }

  it('deletes raw events and recommendation logs older than the maximum age, and audits the run', async () => {
    t = await makeConfiguredApp({ retention });
    await seedAges();
    const run = (await t.call('POST', '/v1/privacy/retention/run')).json();
    expect(run).toMatchObject({ events: 1, documents: 1, audit: 1, cutoff: new Date(t.clock() - 30 * DAY).toISOString() });
    expect((await t.store.eventsOf('default', 'ana')).map((e) => e.messageId)).toEqual(['edge', 'new']);
    expect(await t.store.getDoc('default', 'recommendation', 'rec_old')).toBeNull();
    expect(await t.store.getDoc('default', 'recommendation', 'rec_new')).not.toBeNull();
    const audit = (await t.call('GET', '/v1/audit')).json().entries;
    expect(audit.some((e: { action: string; detail?: { events?: number } }) => e.action === 'retention.run' && e.detail?.events === 1)).toBe(true);
    expect((await t.call('GET', '/v1/privacy')).json().retention).toMatchObject({ eventMaxAgeDays: 30, lastRun: { events: 1 } });
  });

  it('runs by itself once the server is ready', async () => {
    t = await makeConfiguredApp({ retention });
    const now = t.clock();
    const ev = (messageId: string, timestamp: number) => storedEvent(messageId, 'ana', { timestamp });
    await t.store.insertEvents('default', [ev('old', now - 31 * DAY), ev('new', now)]);
    await t.app.ready();
    for (let i = 0; i < 50 && !t.engine.privacy.retention.last; i++) await new Promise((r) => setTimeout(r, 10));
    expect((await t.store.eventsOf('default', 'ana')).map((e) => e.messageId)).toEqual(['new']);
    expect(t.engine.privacy.retention.last?.events).toBe(1);
  });

  it('keeps every event when no maximum age is configured; recommendation logs still go after 30 days', async () => {
    t = await makeConfiguredApp();
    await seedAges();
    expect((await t.call('POST', '/v1/privacy/retention/run')).json()).toMatchObject({ events: 0, documents: 1, cutoff: null });
    expect(await t.store.eventsOf('default', 'ana')).toHaveLength(3);
    expect(await t.store.getDoc('default', 'recommendation', 'rec_old')).toBeNull();
    expect(await t.store.getDoc('default', 'recommendation', 'rec_new')).not.toBeNull();
  });

  it('is triggered by admin keys only', async () => {
    t = await makeConfiguredApp({ retention });
    const srv = await t.key('server');
    expect((await t.call('POST', '/v1/privacy/retention/run', {}, bearer(srv.key))).statusCode).toBe(403);
  });
});

describe('audit log', () => {
  it('records admin actions with the acting key id and never a secret', async () => {
    t = await makeConfiguredApp();
    const admin = await t.key('admin', { name: 'ops' });
    const srv = (await t.call('POST', '/v1/keys', { scope: 'server' }, bearer(admin.key))).json();
    await t.call('PATCH', `/v1/keys/${srv.id}`, { rateLimit: 5 }, bearer(admin.key));
    await t.call('DELETE', `/v1/keys/${srv.id}`, undefined, bearer(admin.key));
    await t.call('POST', '/v1/workspaces', { id: 'shop-b' });
    await t.call('POST', '/v1/keys', { scope: 'nope' }, bearer(admin.key)); // refused: not audited
    const entries = (await t.call('GET', '/v1/audit')).json().entries as Array<{
      action: string;
      actor: { keyId: string };
      target?: string;
      detail: Record<string, unknown>;
    }>;
    expect(entries.map((e) => e.action)).toEqual(['POST /v1/workspaces', 'DELETE /v1/keys/:id', 'PATCH /v1/keys/:id', 'POST /v1/keys', 'POST /v1/keys']);
    expect(entries[1]).toMatchObject({ actor: { keyId: admin.id }, target: srv.id });
    expect(entries[3].detail).toMatchObject({ scope: 'server', status: 201 });
    const text = JSON.stringify(entries);
    expect(text).not.toContain(admin.key);
    expect(text).not.toContain(srv.key);
  });

  it('records consent changes under a pseudonym, exports as JSON lines, filters by time', async () => {
    t = await makeConfiguredApp();
    await t.call('PUT', '/v1/users/ana@example.com/consent', { marketing: true });
    t.clock.advance(1000);
    const since = t.clock();
    await t.call('PUT', '/v1/users/ana@example.com/consent', { marketing: false, source: 'preference centre' });
    const r = await t.call('GET', '/v1/audit?format=jsonl');
    expect(r.headers['content-type']).toMatch(/ndjson/);
    const lines = r.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ action: 'consent.update', detail: { purposes: { marketing: false }, source: 'preference centre' } });
    expect(lines[0].subject).toBe(lines[1].subject);
    expect(r.body).not.toContain('ana');
    expect((await t.call('GET', `/v1/audit?since=${since}`)).json().entries).toHaveLength(1);
    expect((await t.call('GET', `/v1/audit?since=${new Date(since).toISOString()}`)).json().entries).toHaveLength(1);
    expect((await t.call('GET', '/v1/audit?limit=0')).statusCode).toBe(400);
    const srv = await t.key('server');
    expect((await t.call('GET', '/v1/audit', undefined, bearer(srv.key))).statusCode).toBe(403);
  });
});

describe('suppression after erasure', () => {
  it('drops late events for an erased id until an admin lifts it for a returning person', async () => {
    t = await makeConfiguredApp();
    await t.call('PUT', '/v1/items', items(2));
    await t.call('POST', '/v1/events', [{ type: 'view', userId: 'ana', itemId: 'i1' }]);
    expect((await t.call('DELETE', '/v1/users/ana')).statusCode).toBe(204);
    expect((await t.call('POST', '/v1/events', [{ type: 'view', userId: 'ana', itemId: 'i1' }])).json()).toMatchObject({ accepted: 0, suppressed: 1 });
    expect((await t.call('GET', '/v1/privacy')).json().suppressedIds).toBe(1);
    const srv = await t.key('server');
    expect((await t.call('DELETE', '/v1/suppressions/ana', undefined, bearer(srv.key))).statusCode).toBe(403);
    expect((await t.call('DELETE', '/v1/suppressions/ana')).statusCode).toBe(204);
    expect((await t.call('DELETE', '/v1/suppressions/ana')).statusCode).toBe(404);
    expect((await t.call('POST', '/v1/events', [{ type: 'view', userId: 'ana', itemId: 'i1' }])).json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const actions = (await t.call('GET', '/v1/audit')).json().entries.map((e: { action: string }) => e.action);
    expect(actions.filter((a: string) => !a.includes(' /v1/'))).toEqual(['suppression.lift', 'user.erase']);
  });
});
