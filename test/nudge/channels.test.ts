import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPOSURE_COLLECTION } from '../../src/experiment/exposure-log.ts';
import { RETRY_DELAYS_MS, signWebhook, verifyWebhook } from '../../src/nudge/index.ts';
import { makeTestApp } from '../helpers.ts';
import { type NudgeApp, nudgeApp } from './app.ts';
import { webhookReceiver } from './receiver.ts';

const HOUR = 3_600_000;
const NOON = Date.UTC(2026, 0, 15, 12);
const ITEMS = [
  { id: 'lamp', title: 'Desk lamp', categories: ['home'], price: 50, currency: 'EUR' },
  { id: 'kettle', title: 'Kettle', categories: ['home'], price: 40, currency: 'EUR' },
];

describe('signed webhooks', () => {
  let t: NudgeApp;
  let rx: Awaited<ReturnType<typeof webhookReceiver>>;
  beforeEach(async () => {
    t = await nudgeApp(NOON);
    rx = await webhookReceiver();
    await t.call('PUT', '/v1/items', ITEMS);
  });
  afterEach(async () => {
    await t.close();
    await rx.close();
  });

  async function setUp(channel: 'webhook' | 'email', users: string[], extra: Record<string, unknown> = {}) {
    const put = await t.call('PUT', '/v1/nudges/triggers', {
      triggers: { abandoned_cart: { enabled: true, channel, holdout: 0, afterHours: 1 } },
      webhook: { url: rx.url },
      ...extra,
    });
    expect(put.status).toBe(200);
    // The secret is generated and shown once; reading the settings never shows it.
    expect(put.body.webhook.secret).toMatch(/^whsec_/);
    rx.setSecret(put.body.webhook.secret);
    const got = await t.call('GET', '/v1/nudges/triggers');
    expect(got.body.webhook).toEqual({ url: rx.url, secretSet: true });
    expect(JSON.stringify(got.body)).not.toContain(put.body.webhook.secret);
    for (const u of users) {
      await t.call('PUT', `/v1/users/${u}/consent`, { marketing: true });
      await t.call('POST', '/v1/events', [{ type: 'add_to_cart', userId: u, itemId: 'lamp', timestamp: NOON }]);
    }
    t.clock.advance(2 * HOUR);
  }

  it('delivers a signed nudge to a real receiver, retries a failure after the backoff, and logs every attempt', async () => {
    await setUp('webhook', ['ana']);
    rx.statuses.push(500);
    const first = await t.call('POST', '/v1/nudges/run', {});
    expect(first.body.deliveries).toEqual({ attempted: 1, delivered: 0, failed: 0, retrying: 1 });
    expect(rx.got).toHaveLength(1);
    expect(rx.got[0].signatureValid).toBe(true);
    expect(rx.got[0].headers['afin-timestamp']).toBe(String(Math.floor(t.clock() / 1000)));
    let [n] = (await t.call('GET', '/v1/users/ana/nudges')).body.nudges;
    expect(n.status).toBe('delivering');
    expect(n.deliveries).toEqual([expect.objectContaining({ attempt: 1, ok: false, status: 500 })]);

    // Not before the backoff has passed.
    t.clock.advance(RETRY_DELAYS_MS[0] - 1000);
    expect((await t.call('POST', '/v1/nudges/run', {})).body.deliveries.attempted).toBe(0);
    t.clock.advance(1000);
    expect((await t.call('POST', '/v1/nudges/run', {})).body.deliveries).toMatchObject({ attempted: 1, delivered: 1 });
    expect(rx.got).toHaveLength(2);
    const second = rx.got[1];
    expect(second.signatureValid).toBe(true);
    expect(second.headers['afin-attempt']).toBe('2');
    expect(second.json).toMatchObject({ type: 'nudge.webhook', id: n.id, userId: 'ana', trigger: 'abandoned_cart', channel: 'webhook' });
    expect(second.json.items.map((i: { id: string }) => i.id)).toEqual(['lamp']);
    expect(second.json.signal.kind).toBe('abandoned_cart');
    expect(second.json.message).toMatch(/Desk lamp/);
    [n] = (await t.call('GET', '/v1/users/ana/nudges')).body.nudges;
    expect(n.status).toBe('delivered');
    expect(n.deliveries.map((d: { ok: boolean }) => d.ok)).toEqual([false, true]);
    // Delivered once: later runs send nothing more.
    t.clock.advance(HOUR);
    await t.call('POST', '/v1/nudges/run', {});
    expect(rx.got).toHaveLength(2);
  });

  it('gives up after the last retry and says why', async () => {
    await setUp('webhook', ['ana']);
    rx.statuses.push(...Array(10).fill(503));
    await t.call('POST', '/v1/nudges/run', {});
    for (const d of RETRY_DELAYS_MS) {
      t.clock.advance(d);
      await t.call('POST', '/v1/nudges/run', {});
    }
    const [n] = (await t.call('GET', '/v1/users/ana/nudges')).body.nudges;
    expect(n.status).toBe('failed');
    expect(n.deliveries).toHaveLength(RETRY_DELAYS_MS.length + 1);
    expect(n.error).toMatch(/gave up after 5 attempts: HTTP 503/);
    t.clock.advance(10 * HOUR);
    await t.call('POST', '/v1/nudges/run', {});
    expect(rx.got).toHaveLength(RETRY_DELAYS_MS.length + 1);
  });

  it("an email nudge carries a written email for the shop's mailer", async () => {
    await setUp('email', ['ana']);
    await t.call('POST', '/v1/nudges/run', {});
    expect(rx.got).toHaveLength(1);
    const p = rx.got[0].json;
    expect(rx.got[0].signatureValid).toBe(true);
    expect(p.type).toBe('nudge.email');
    expect(p.email.subject.length).toBeGreaterThan(3);
    expect(p.email.text).toMatch(/Desk lamp/);
  });

  it('an erased person is not delivered to, even with a retry pending', async () => {
    await setUp('webhook', ['ana']);
    rx.statuses.push(500);
    await t.call('POST', '/v1/nudges/run', {});
    expect((await t.call('DELETE', '/v1/users/ana')).status).toBe(204);
    t.clock.advance(RETRY_DELAYS_MS[0]);
    await t.call('POST', '/v1/nudges/run', {});
    expect(rx.got).toHaveLength(1);
    expect((await t.call('GET', '/v1/users/ana/nudges')).body.nudges).toEqual([]);
  });

  it('holds out a share of people per trigger, sends them nothing, and logs both arms with their chance for the experiment slice', async () => {
    const users = Array.from({ length: 40 }, (_, i) => `p${i}`);
    await setUp('webhook', users);
    await t.call('PUT', '/v1/nudges/triggers', {
      triggers: { abandoned_cart: { enabled: true, channel: 'webhook', holdout: 0.5, afterHours: 1 } },
      webhook: { url: rx.url },
      caps: { webhook: { max: 10, perHours: 24 } },
    });
    const run = await t.call('POST', '/v1/nudges/run', {});
    const held = run.body.fired.filter((f: { status: string }) => f.status === 'holdout');
    const sent = run.body.fired.filter((f: { status: string }) => f.status !== 'holdout');
    expect(held.length + sent.length).toBe(40);
    expect(held.length).toBeGreaterThan(0);
    expect(sent.length).toBeGreaterThan(0);
    expect(rx.got.map((r) => r.json.userId).sort()).toEqual(sent.map((f: { userId: string }) => f.userId).sort());
    const exposures = await t.engine.store.listDocs('default', EXPOSURE_COLLECTION, { limit: 1000 });
    const mine = exposures.filter((d) => d.body.experiment === 'nudge:abandoned_cart');
    expect(mine).toHaveLength(40);
    for (const d of mine) {
      expect(d.body.propensity).toBe(0.5);
      expect(d.body.variant).toBe(held.some((f: { userId: string }) => f.userId === d.subject) ? 'holdout' : 'nudged');
    }
    // The arm is the person's for this trigger: a new cart later lands in the same arm.
    const someone = held[0].userId;
    await t.call('POST', '/v1/events', [{ type: 'add_to_cart', userId: someone, itemId: 'kettle', timestamp: t.clock() }]);
    t.clock.advance(2 * HOUR);
    const later = await t.call('POST', '/v1/nudges/run', { userId: someone });
    expect(later.body.fired).toEqual([expect.objectContaining({ userId: someone, status: 'holdout' })]);
  });

  it('refuses webhook URLs that point at metadata endpoints, and private ones unless allowed', async () => {
    const r = await t.call('PUT', '/v1/nudges/triggers', { webhook: { url: 'http://169.254.169.254/latest/meta-data' } });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('webhook.url');
    const strict = await makeTestApp();
    try {
      const s = await strict.app.inject({
        method: 'PUT',
        url: '/v1/nudges/triggers',
        headers: { authorization: 'Bearer test-root-key' },
        payload: { webhook: { url: rx.url } },
      });
      expect(s.statusCode).toBe(400);
      expect(s.json().error.field).toBe('webhook.url');
    } finally {
      await strict.close();
    }
  });
});

describe('webhook signatures', () => {
  it('verify with the right secret and a fresh timestamp only', () => {
    const body = '{"id":"ndg_1"}';
    const ts = 1_768_478_400;
    const sig = signWebhook('s3cret-s3cret-s3cret', ts, body);
    expect(verifyWebhook('s3cret-s3cret-s3cret', String(ts), sig, body, ts + 10)).toBe(true);
    expect(verifyWebhook('another-secret-here', String(ts), sig, body, ts + 10)).toBe(false);
    expect(verifyWebhook('s3cret-s3cret-s3cret', String(ts), sig, `${body} `, ts + 10)).toBe(false);
    expect(verifyWebhook('s3cret-s3cret-s3cret', String(ts), sig, body, ts + 3600)).toBe(false);
  });
});

describe('the chat channel', () => {
  let t: NudgeApp;
  afterEach(async () => t?.close());

  it('keeps the nudge for the next conversation, handed over once, and not after marketing is withdrawn', async () => {
    t = await nudgeApp(NOON);
    await t.call('PUT', '/v1/items', ITEMS);
    await t.call('PUT', '/v1/nudges/triggers', { triggers: { abandoned_cart: { enabled: true, holdout: 0, afterHours: 1 } } });
    for (const u of ['ana', 'bea']) {
      await t.call('PUT', `/v1/users/${u}/consent`, { marketing: true });
      await t.call('POST', '/v1/events', [{ type: 'add_to_cart', userId: u, itemId: 'lamp', timestamp: NOON }]);
    }
    t.clock.advance(2 * HOUR);
    await t.call('POST', '/v1/nudges/run', {});
    const taken = await t.engine.nudges.takeChatNudge('default', 'ana');
    expect(taken).toMatchObject({ trigger: 'abandoned_cart', items: [expect.objectContaining({ id: 'lamp' })] });
    // The conversation it opens continues like any other.
    const reply = await t.call('POST', '/v1/chat', { userId: 'ana', sessionId: taken!.sessionId, message: 'yes, tell me more' });
    expect(reply.status).toBe(200);
    expect(reply.body.sessionId).toBe(taken!.sessionId);
    expect(await t.engine.nudges.takeChatNudge('default', 'ana')).toBeNull();
    expect((await t.call('GET', '/v1/users/ana/nudges')).body.nudges[0].status).toBe('opened');

    await t.call('PUT', '/v1/users/bea/consent', { marketing: false });
    expect(await t.engine.nudges.takeChatNudge('default', 'bea')).toBeNull();
  });
});
