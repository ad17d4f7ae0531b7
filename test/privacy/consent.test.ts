import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, parseConsentDefaults } from '../../src/config.ts';
import { items } from '../helpers.ts';
import { makeConfiguredApp, type ConfiguredApp } from '../security/app.ts';

let t: ConfiguredApp;
afterEach(async () => t?.close());

async function seed() {
  await t.call('PUT', '/v1/items', items(8));
  const evs = [];
  for (let u = 0; u < 6; u++) for (const i of u % 2 ? [1, 3, 5] : [0, 2, 4]) evs.push({ type: 'purchase', userId: `u${u}`, itemId: `i${i}` });
  evs.push({ type: 'view', userId: 'ana', itemId: 'i1' }, { type: 'view', userId: 'ana', itemId: 'i3' });
  expect((await t.call('POST', '/v1/events', evs)).json().rejected).toEqual([]);
}
const recs = async (q: string) => (await t.call('GET', `/v1/recommendations?${q}`)).json() as { personalized: boolean; items: Array<{ reasons: string[] }> };

describe('consent defaults per purpose', () => {
  it('parses AFIN_CONSENT_DEFAULTS and refuses unknown purposes or regimes', () => {
    expect(parseConsentDefaults('personalization=opt-in, marketing=opt-out')).toEqual({
      personalization: false,
      profiling: true,
      marketing: true,
      chatMemory: true,
    });
    expect(parseConsentDefaults(undefined)).toEqual({ personalization: true, profiling: true, marketing: false, chatMemory: true });
    expect(() => parseConsentDefaults('tracking=opt-in')).toThrow(/AFIN_CONSENT_DEFAULTS/);
    expect(() => parseConsentDefaults('marketing=yes')).toThrow(/opt-in\|opt-out/);
    expect(loadConfig({ AFIN_CONSENT_DEFAULTS: 'profiling=opt-in' }).consentDefaults.profiling).toBe(false);
  });

  it('with personalization opt-in, a person who never said yes gets the non-personalised answer and no profile', async () => {
    t = await makeConfiguredApp({ consentDefaults: { personalization: false, profiling: false, marketing: false, chatMemory: false } });
    await seed();
    const c = (await t.call('GET', '/v1/users/ana/consent')).json();
    expect(c).toMatchObject({ personalization: false, profiling: false, basis: { personalization: 'default-off', marketing: 'default-off' } });
    expect((await recs('userId=ana&n=3')).personalized).toBe(false);
    expect(await t.store.getProfile('default', 'ana')).toBeNull();
    // Saying yes switches it on, with the proof kept.
    const yes = (await t.call('PUT', '/v1/users/ana/consent', { personalization: true, profiling: true, source: 'banner', policyVersion: 'v3' })).json();
    expect(yes).toMatchObject({ personalization: true, basis: { personalization: 'given', chatMemory: 'default-off' }, policyVersion: 'v3' });
    await t.call('POST', '/v1/events', [{ type: 'view', userId: 'ana', itemId: 'i5' }]);
    expect(await t.store.getProfile('default', 'ana')).not.toBeNull();
    expect((await recs('userId=ana&n=3')).personalized).toBe(true);
  });
});

describe('giving and withdrawing', () => {
  it('keeps the full history with time, source and policy version', async () => {
    t = await makeConfiguredApp();
    await t.call('PUT', '/v1/users/ana/consent', { marketing: true, source: 'signup form', policyVersion: '2026-01' });
    t.clock.advance(60_000);
    await t.call('PUT', '/v1/users/ana/consent', { marketing: false });
    const c = (await t.call('GET', '/v1/users/ana/consent')).json();
    expect(c.marketing).toBe(false);
    expect(c.basis.marketing).toBe('withdrawn');
    expect(c.history).toEqual([
      { at: '2026-01-15T12:00:00.000Z', source: 'signup form', policyVersion: '2026-01', purposes: { marketing: true } },
      { at: '2026-01-15T12:01:00.000Z', source: 'api', policyVersion: null, purposes: { marketing: false } },
    ]);
  });

  it('withdrawing profiling deletes the profile at once and no new one is derived', async () => {
    t = await makeConfiguredApp();
    await seed();
    expect(await t.store.getProfile('default', 'ana')).not.toBeNull();
    await t.call('PUT', '/v1/users/ana/consent', { profiling: false });
    expect(await t.store.getProfile('default', 'ana')).toBeNull();
    await t.call('POST', '/v1/events', [{ type: 'purchase', userId: 'ana', itemId: 'i5' }]);
    expect(await t.store.getProfile('default', 'ana')).toBeNull();
    const profile = (await t.call('GET', '/v1/users/ana/profile')).json();
    expect(profile.segments ?? []).toEqual(expect.not.arrayContaining(['likes:odd']));
  });

  it('refuses an empty change, unknown fields and wrong types (no mass assignment)', async () => {
    t = await makeConfiguredApp();
    for (const body of [{}, { personalization: true, userId: 'bob' }, { personalization: 'yes' }, { scope: 'admin', marketing: true }, [true]]) {
      const r = await t.call('PUT', '/v1/users/ana/consent', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error.code).toBe('invalid_body');
    }
    expect((await t.call('GET', '/v1/users/ana/consent')).json().history).toEqual([]);
  });
});

describe('withdrawing chatMemory', () => {
  it('forgets past conversations at once: memory, transcripts and the words in chat events', async () => {
    t = await makeConfiguredApp();
    await seed();
    const first = (await t.call('POST', '/v1/chat', { userId: 'ana', message: 'I am looking for something, I do not like zebra-marker colours' })).json();
    expect(first.sessionId).toMatch(/^ses_/);
    const before = await t.engine.store.eventsOf('default', 'ana');
    expect(before.some((e) => e.type === 'chat')).toBe(true);
    await t.call('PUT', '/v1/users/ana/consent', { chatMemory: false });
    const after = await t.engine.store.eventsOf('default', 'ana');
    expect(after.some((e) => e.type === 'chat')).toBe(false);
    expect(after.filter((e) => e.type === 'view')).toHaveLength(2); // other events stay
    expect((await t.call('GET', `/v1/chat/${first.sessionId}`)).statusCode).toBe(404);
    expect(await t.engine.store.getDoc('default', 'chat_memory', 'ana')).toBeNull();
  });
});

describe('objecting to profiling (Art. 21)', () => {
  it('is one call: profiling, personalization and marketing off, profile gone, answers non-personalised', async () => {
    t = await makeConfiguredApp();
    await seed();
    await t.call('PUT', '/v1/users/ana/consent', { marketing: true });
    expect((await recs('userId=ana&n=3')).personalized).toBe(true);
    const r = await t.call('POST', '/v1/users/ana/objection', { reason: 'I do not want to be profiled' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ personalization: false, profiling: false, marketing: false, chatMemory: true });
    expect(r.json().history.at(-1).source).toBe('objection');
    expect(await t.store.getProfile('default', 'ana')).toBeNull();
    const after = await recs('userId=ana&n=3');
    expect(after.personalized).toBe(false);
    expect(after.items.every((i) => !i.reasons.some((x) => x.startsWith('Because you') || x.startsWith('Matches your interest')))).toBe(true);
    const audit = (await t.call('GET', '/v1/audit')).json().entries;
    expect(audit[0]).toMatchObject({ action: 'consent.objection', actor: { keyId: 'root', scope: 'root' } });
    expect(JSON.stringify(audit)).not.toContain('ana');
  });

  it('accepts no body, refuses unknown fields', async () => {
    t = await makeConfiguredApp();
    expect((await t.app.inject({ method: 'POST', url: '/v1/users/bob/objection', headers: { authorization: 'Bearer test-root-key' } })).statusCode).toBe(200);
    expect((await t.call('POST', '/v1/users/bob/objection', { personalization: true })).statusCode).toBe(400);
  });
});

describe('the choke point', () => {
  it('answers a policy for users and anonymous subjects alike', async () => {
    t = await makeConfiguredApp({ consentDefaults: { personalization: false, profiling: true, marketing: false, chatMemory: true } });
    await t.call('PUT', '/v1/users/ana/consent', { personalization: true });
    expect(await t.engine.consent.policy('default', 'ana')).toEqual({
      subject: 'ana',
      erased: false,
      personalization: true,
      profiling: true,
      marketing: false,
      chatMemory: true,
    });
    expect((await t.engine.consent.policy('default', 'anon:v1')).personalization).toBe(false);
  });
});
