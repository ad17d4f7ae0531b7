import { afterEach, describe, expect, it } from 'vitest';
import { items } from '../helpers.ts';
import { makeConfiguredApp, type ConfiguredApp } from '../security/app.ts';

let t: ConfiguredApp;
afterEach(async () => t?.close());

async function seed() {
  await t.call('PUT', '/v1/items', items(6));
  const day = 86_400_000;
  const at = (d: number) => Date.UTC(2026, 0, 15, 12) - d * day;
  await t.call('POST', '/v1/events', [
    { type: 'view', anonymousId: 'v-ana', itemId: 'i1', timestamp: at(40), channel: 'web' },
    { type: 'view', userId: 'ana', itemId: 'i1', timestamp: at(10), channel: 'app' },
    { type: 'purchase', userId: 'ana', itemId: 'i3', timestamp: at(2), channel: 'web' },
    { type: 'search', userId: 'ana', query: 'trail shoes', timestamp: at(1) },
    { type: 'view', userId: 'bob', itemId: 'i2' },
  ]);
  await t.call('POST', '/v1/alias', { anonymousId: 'v-ana', userId: 'ana' });
  await t.call('PUT', '/v1/users/ana', { traits: { name: 'Ana', language: 'es' } });
  await t.call('PUT', '/v1/users/ana/consent', { marketing: true, source: 'newsletter form', policyVersion: 'v2' });
  await t.store.putDocs('default', [
    { collection: 'chat', id: 'ses_1', subject: 'ana', body: { turns: [{ role: 'user', text: 'busco zapatillas' }] }, createdAt: t.clock() },
    { collection: 'nudge', id: 'ndg_1', subject: 'ana', body: { kind: 'cart-reminder', channel: 'email' }, createdAt: t.clock() },
    { collection: 'experiment', id: 'exp_1:ana', subject: 'ana', body: { experiment: 'exp_1', arm: 'personalized' }, createdAt: t.clock() },
    { collection: 'chat', id: 'ses_2', subject: 'bob', body: {}, createdAt: t.clock() },
  ]);
}

describe('transparency', () => {
  it('says what is held, from where, for which purposes and how long, as JSON', async () => {
    t = await makeConfiguredApp({ retention: { eventMaxAgeDays: 365, auditMaxAgeDays: null, intervalMs: 3_600_000 } });
    await seed();
    const r = (await t.call('GET', '/v1/users/ana/transparency')).json();
    const held = Object.fromEntries(r.held.map((h: { what: string }) => [h.what, h]));
    expect(held.events).toMatchObject({ count: 4, keptFor: '365 days, then deleted automatically' });
    expect(held.events.detail.byType).toMatchObject({ view: { count: 2 }, purchase: { count: 1 }, search: { count: 1 } });
    expect(Object.keys(held.events.detail.byMonth).sort()).toEqual(['2025-12', '2026-01']);
    expect(held.events.source).toContain('web');
    expect(held.events.usedFor).toEqual(expect.arrayContaining(['personalization', 'profiling', 'marketing']));
    expect(held.profile.count).toBe(1);
    expect(held.traits.detail.fields).toEqual(['name', 'language']);
    expect(held['identity links'].count).toBe(1);
    expect(held.chat.count).toBe(1);
    expect(held.nudge.count).toBe(1);
    expect(held.experiment.count).toBe(1);
    expect(held['consent history'].count).toBe(1);
    expect(r.purposes.find((p: { purpose: string }) => p.purpose === 'marketing')).toMatchObject({ allowed: true, basis: 'given' });
    expect(r.summary[0]).toBe('We hold 4 events about you, from 2025-12-06 to 2026-01-14.');
    expect(r.rights.erase).toBe('DELETE /v1/users/ana');
  });

  it('follows consent: withdrawn purposes are listed as not used', async () => {
    t = await makeConfiguredApp();
    await seed();
    await t.call('PUT', '/v1/users/ana/consent', { personalization: false, profiling: false });
    const r = (await t.call('GET', '/v1/users/ana/transparency')).json();
    const events = r.held.find((h: { what: string }) => h.what === 'events');
    expect(events.notUsedFor).toEqual(['personalization', 'profiling']);
    expect(r.held.find((h: { what: string }) => h.what === 'profile').count).toBe(0);
    expect(r.summary).toContain('Your recommendations are not personalised.');
  });

  it('reads as plain text for a person', async () => {
    t = await makeConfiguredApp();
    await seed();
    const r = await t.call('GET', '/v1/users/ana/transparency?format=text');
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body).toContain('What we hold about ana');
    expect(r.body).toContain('- events (4): what you did');
    expect(r.body).toContain('- marketing: yes (given)');
    expect((await t.call('GET', '/v1/users/ana/transparency?format=pdf')).statusCode).toBe(400);
  });
});

describe('export', () => {
  it('holds everything: events (anonymous too), profile, traits, consent history, chat, nudges, experiments, audit', async () => {
    t = await makeConfiguredApp();
    await seed();
    await t.call('GET', '/v1/recommendations?userId=ana');
    const e = (await t.call('GET', '/v1/users/ana/export')).json();
    expect(e.format).toBe('afin-export/1');
    expect(e.events).toHaveLength(4);
    expect(e.events.map((x: { type: string }) => x.type)).toEqual(['view', 'view', 'purchase', 'search']);
    expect(e.anonymousIds).toEqual(['v-ana']);
    expect(e.user.traits).toEqual({ name: 'Ana', language: 'es' });
    expect(e.profile.raw).not.toBeNull();
    expect(e.consent.history).toHaveLength(1);
    expect(e.collections).toEqual({ chat: 1, experiment: 1, nudge: 1, recommendation: 1 });
    expect(e.documents.find((d: { collection: string }) => d.collection === 'chat').body.turns[0].text).toBe('busco zapatillas');
    expect(e.audit.map((a: { action: string }) => a.action)).toEqual(['consent.update']);
    expect(JSON.stringify(e)).not.toContain('bob');
    // The export itself is audited (under a pseudonym).
    const audit = (await t.call('GET', '/v1/audit')).json().entries;
    expect(audit[0].action).toBe('user.export');
  });

  it('is for server keys only', async () => {
    t = await makeConfiguredApp();
    const pub = await t.key('public');
    for (const url of ['/v1/users/ana/export', '/v1/users/ana/transparency', '/v1/users/ana/consent']) {
      expect((await t.call('GET', url, undefined, { authorization: `Bearer ${pub.key}` })).statusCode).toBe(403);
    }
  });
});
