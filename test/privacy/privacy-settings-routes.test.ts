// A workspace's own consent defaults and retention limits: PUT /v1/settings/privacy (admin) changes
// what every consent check and the retention job of that workspace use, and nothing in another one.
import { afterEach, describe, expect, it } from 'vitest';
import { items } from '../helpers.ts';
import { bearer, makeConfiguredApp, type ConfiguredApp } from '../security/app.ts';

let t: ConfiguredApp;
afterEach(async () => t?.close());
const DAY = 86_400_000;

describe('PUT /v1/settings/privacy', () => {
  it('makes a purpose opt-in for the people of this workspace who said nothing, and says so in /v1/privacy', async () => {
    t = await makeConfiguredApp();
    const before = (await t.call('GET', '/v1/users/ana/consent')).json();
    expect(before).toMatchObject({ personalization: true, basis: { personalization: 'default-on' } });

    const put = await t.call('PUT', '/v1/settings/privacy', { consentDefaults: { personalization: 'opt-in', marketing: 'opt-out' } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      consentDefaults: { personalization: 'opt-in', marketing: 'opt-out', profiling: 'opt-out' },
      stored: { consentDefaults: { personalization: 'opt-in', marketing: 'opt-out' } },
      deployment: { consentDefaults: { personalization: 'opt-out', marketing: 'opt-in' } },
    });
    expect((await t.call('GET', '/v1/users/ana/consent')).json()).toMatchObject({
      personalization: false,
      marketing: true,
      basis: { personalization: 'default-off', marketing: 'default-on' },
    });
    // The person's own choice still wins over the new default.
    await t.call('PUT', '/v1/users/ben/consent', { personalization: true });
    expect((await t.call('GET', '/v1/users/ben/consent')).json()).toMatchObject({ personalization: true, basis: { personalization: 'given' } });
    const purposes = (await t.call('GET', '/v1/privacy')).json().purposes as Array<{ purpose: string; default: string }>;
    expect(purposes.find((p) => p.purpose === 'personalization')?.default).toBe('opt-in');

    // Another workspace keeps the deployment's defaults.
    expect((await t.call('POST', '/v1/workspaces', { id: 'other' })).statusCode).toBe(201);
    const other = await t.call('GET', '/v1/users/ana/consent', undefined, { authorization: 'Bearer test-root-key', 'afin-workspace': 'other' });
    expect(other.json()).toMatchObject({ personalization: true, marketing: false });

    // Leaving a field out puts the deployment's back.
    await t.call('PUT', '/v1/settings/privacy', {});
    expect((await t.call('GET', '/v1/users/ana/consent')).json()).toMatchObject({ personalization: true, marketing: false });
    const audit = (await t.call('GET', '/v1/audit')).json().entries as Array<{ action: string; detail?: Record<string, unknown> }>;
    expect(audit.filter((e) => e.action === 'privacy.settings').map((e) => e.detail)).toContainEqual({
      consentDefaults: { personalization: 'opt-in', marketing: 'opt-out' },
    });
  });

  it("ages out this workspace's events sooner than the deployment does", async () => {
    t = await makeConfiguredApp({ retention: { eventMaxAgeDays: 30, auditMaxAgeDays: null, intervalMs: 3_600_000 } });
    await t.call('PUT', '/v1/items', items(2));
    const now = t.clock();
    await t.call('POST', '/v1/events', [
      { messageId: 'd20', type: 'view', userId: 'ana', itemId: 'i1', timestamp: now - 20 * DAY },
      { messageId: 'd5', type: 'view', userId: 'ana', itemId: 'i1', timestamp: now - 5 * DAY },
    ]);
    const put = await t.call('PUT', '/v1/settings/privacy', { retention: { eventMaxAgeDays: 10 } });
    expect(put.json().retention).toEqual({ eventMaxAgeDays: 10, auditMaxAgeDays: null });
    expect((await t.call('GET', '/v1/privacy')).json().retention).toMatchObject({ eventMaxAgeDays: 10, recommendationLogMaxAgeDays: 10 });
    await t.call('POST', '/v1/privacy/retention/run');
    expect((await t.store.eventsOf('default', 'ana')).map((e) => e.messageId)).toEqual(['d5']);
  });

  it('answers 400 naming the field: an unknown regime, a limit above the deployment, an unknown field', async () => {
    t = await makeConfiguredApp({ retention: { eventMaxAgeDays: 30, auditMaxAgeDays: null, intervalMs: 3_600_000 } });
    const cases: Array<[unknown, string]> = [
      [{ consentDefaults: { marketing: 'maybe' } }, 'consentDefaults.marketing'],
      [{ consentDefaults: { tracking: 'opt-in' } }, 'consentDefaults.tracking'],
      [{ retention: { eventMaxAgeDays: 31 } }, 'retention.eventMaxAgeDays'],
      [{ retention: { auditMaxAgeDays: 0 } }, 'retention.auditMaxAgeDays'],
      [{ retention: { eventMaxAgeDays: 1.5 } }, 'retention.eventMaxAgeDays'],
      [{ colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of cases) {
      const r = await t.call('PUT', '/v1/settings/privacy', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error, JSON.stringify(body)).toMatchObject({ code: 'invalid_body', field });
    }
    // Nothing was stored by the refused calls.
    expect((await t.call('GET', '/v1/settings/privacy')).json().stored).toEqual({});
  });

  it('is for admin keys: a public or server key gets 403 and changes nothing; a server key may read', async () => {
    t = await makeConfiguredApp();
    const pub = await t.key('public');
    const server = await t.key('server');
    const body = { consentDefaults: { marketing: 'opt-out' } };
    expect((await t.call('PUT', '/v1/settings/privacy', body, bearer(pub.key))).statusCode).toBe(403);
    expect((await t.call('PUT', '/v1/settings/privacy', body, bearer(server.key))).statusCode).toBe(403);
    expect((await t.call('GET', '/v1/settings/privacy', undefined, bearer(pub.key))).statusCode).toBe(403);
    const read = await t.call('GET', '/v1/settings/privacy', undefined, bearer(server.key));
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ consentDefaults: { marketing: 'opt-in' }, stored: {} });
    const admin = await t.key('admin');
    expect((await t.call('PUT', '/v1/settings/privacy', body, bearer(admin.key))).statusCode).toBe(200);
  });
});
