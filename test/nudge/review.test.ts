import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type NudgeApp, nudgeApp } from './app.ts';
import { webhookReceiver } from './receiver.ts';

const HOUR = 3_600_000;
const NOON = Date.UTC(2026, 0, 15, 12);

describe('review mode', () => {
  let t: NudgeApp;
  let rx: Awaited<ReturnType<typeof webhookReceiver>>;
  beforeEach(async () => {
    t = await nudgeApp(NOON);
    rx = await webhookReceiver();
    await t.call('PUT', '/v1/items', [{ id: 'lamp', title: 'Desk lamp', categories: ['home'], price: 50, currency: 'EUR' }]);
    const put = await t.call('PUT', '/v1/nudges/triggers', {
      triggers: { abandoned_cart: { enabled: true, channel: 'webhook', review: true, holdout: 0, afterHours: 1 } },
      webhook: { url: rx.url },
    });
    rx.setSecret(put.body.webhook.secret);
    for (const u of ['ana', 'bea', 'cris']) {
      await t.call('PUT', `/v1/users/${u}/consent`, { marketing: true });
      await t.call('POST', '/v1/events', [{ type: 'add_to_cart', userId: u, itemId: 'lamp', timestamp: NOON }]);
    }
    t.clock.advance(2 * HOUR);
  });
  afterEach(async () => {
    await t.close();
    await rx.close();
  });

  const queue = async () => (await t.call('GET', '/v1/review')).body;
  const nudgeOf = async (u: string) => (await t.call('GET', `/v1/users/${u}/nudges`)).body.nudges[0];

  it('holds each nudge until a person approves it; an edit sends the edited text; a rejection sends nothing; who and when are audited', async () => {
    const run = await t.call('POST', '/v1/nudges/run', {});
    expect(run.body.fired.map((f: { status: string }) => f.status)).toEqual(['review', 'review', 'review']);
    // Held: later runs deliver nothing until someone decides.
    t.clock.advance(HOUR);
    await t.call('POST', '/v1/nudges/run', {});
    expect(rx.got).toEqual([]);

    const q = await queue();
    expect(q.counts).toEqual({ nudges: 3, chats: 0 });
    expect(q.items.map((i: { kind: string; userId: string }) => [i.kind, i.userId]).sort()).toEqual([
      ['nudge', 'ana'],
      ['nudge', 'bea'],
      ['nudge', 'cris'],
    ]);
    const ana = await nudgeOf('ana');
    const bea = await nudgeOf('bea');
    const cris = await nudgeOf('cris');

    const approved = await t.call('POST', `/v1/review/${ana.id}`, { action: 'approve', reviewer: 'marta' });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('delivered');
    expect(approved.body.review).toMatchObject({ action: 'approve', reviewer: 'marta', at: new Date(t.clock()).toISOString() });
    expect(rx.got).toHaveLength(1);
    expect(rx.got[0].signatureValid).toBe(true);
    expect(rx.got[0].json.message).toBe(ana.message);

    const edited = await t.call('POST', `/v1/review/${bea.id}`, { action: 'edit', message: 'Bea, your lamp is waiting (10 % off today).', reviewer: 'luis' });
    expect(edited.body).toMatchObject({ status: 'delivered', message: 'Bea, your lamp is waiting (10 % off today).' });
    expect(edited.body.review.originalMessage).toBe(bea.message);
    expect(rx.got[1].json.message).toBe('Bea, your lamp is waiting (10 % off today).');

    const rejected = await t.call('POST', `/v1/review/${cris.id}`, { action: 'reject', reviewer: 'marta', note: 'already called her' });
    expect(rejected.body.status).toBe('rejected');
    t.clock.advance(HOUR);
    await t.call('POST', '/v1/nudges/run', {});
    expect(rx.got).toHaveLength(2);
    expect((await queue()).items).toEqual([]);

    // Decided once.
    const twice = await t.call('POST', `/v1/review/${cris.id}`, { action: 'approve' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.field).toBe('id');

    const audit = (await t.call('GET', '/v1/audit')).body.entries as Array<{
      action: string;
      target: string;
      at: string;
      detail: Record<string, unknown>;
      actor: Record<string, unknown>;
    }>;
    const decisions = audit.filter((e) => e.action.startsWith('nudge.review.'));
    expect(decisions.map((e) => [e.action, e.target, e.detail.reviewer]).sort()).toEqual(
      [
        ['nudge.review.approve', ana.id, 'marta'],
        ['nudge.review.edit', bea.id, 'luis'],
        ['nudge.review.reject', cris.id, 'marta'],
      ].sort(),
    );
    for (const e of decisions) {
      expect(e.actor.keyId).toBeDefined();
      expect(Date.parse(e.at)).toBeGreaterThan(NOON);
    }
  });

  it('will not send an approved nudge to someone who withdrew marketing consent meanwhile', async () => {
    await t.call('POST', '/v1/nudges/run', {});
    const ana = await nudgeOf('ana');
    await t.call('PUT', '/v1/users/ana/consent', { marketing: false });
    const r = await t.call('POST', `/v1/review/${ana.id}`, { action: 'approve' });
    expect(r.status).toBe(409);
    expect(r.body.error.field).toBe('consent.marketing');
    expect(rx.got).toEqual([]);
  });

  it("lists the chat's hand-off queue in the same place, answered through the chat's own route", async () => {
    const chat = await t.call('POST', '/v1/chat', { userId: 'dani', message: 'I want to talk to a person, please' });
    expect(chat.status).toBe(200);
    await t.call('POST', '/v1/nudges/run', {});
    const q = await queue();
    expect(q.counts).toEqual({ nudges: 3, chats: 1 });
    const handoff = q.items.find((i: { kind: string }) => i.kind === 'chat_handoff');
    expect(handoff).toMatchObject({
      id: `chat:${chat.body.sessionId}`,
      userId: 'dani',
      reason: 'asked_for_person',
      answer: `POST /v1/chat/${chat.body.sessionId}/agent`,
    });
    expect(handoff.lastTurns.length).toBeGreaterThan(0);
    // The hand-off stays the chat's: it is read here, never moved or decided here.
    const r = await t.call('POST', `/v1/review/chat:${chat.body.sessionId}`, { action: 'approve' });
    expect(r.status).toBe(409);
    expect((await t.call('GET', '/v1/chat/flagged')).body.sessions).toHaveLength(1);
  });

  it('is for the shop only: a public key can neither read the queue nor decide, nor run or configure nudges', async () => {
    const pub = (await t.call('POST', '/v1/keys', { scope: 'public' })).body.key;
    const server = (await t.call('POST', '/v1/keys', { scope: 'server' })).body.key;
    const as = (k: string) => ({ authorization: `Bearer ${k}` });
    for (const [m, url, body] of [
      ['GET', '/v1/review'],
      ['POST', '/v1/review/ndg_x', { action: 'approve' }],
      ['POST', '/v1/nudges/run', {}],
      ['GET', '/v1/nudges/triggers'],
      ['PUT', '/v1/nudges/triggers', {}],
      ['GET', '/v1/users/ana/nudges'],
    ] as const)
      expect((await t.call(m, url, body, as(pub))).status, `${m} ${url}`).toBe(403);
    expect((await t.call('GET', '/v1/review', undefined, as(server))).status).toBe(200);
    // Where people's data is sent is an admin's choice.
    expect((await t.call('PUT', '/v1/nudges/triggers', {}, as(server))).status).toBe(403);
  });

  it('names the bad field', async () => {
    const r = await t.call('POST', '/v1/review/ndg_x', { action: 'edit' });
    expect(r.status).toBe(400);
    expect(r.body.error.field).toBe('message');
    const p = await t.call('PUT', '/v1/nudges/triggers', { triggers: { churn_risk: { threshold: 2 } } });
    expect(p.status).toBe(400);
    expect(p.body.error.field).toBe('triggers.churn_risk.threshold');
    const q = await t.call('PUT', '/v1/nudges/triggers', { quietHours: { start: 22, end: 7, timeZone: 'Mars/Olympus' } });
    expect(q.body.error.field).toBe('quietHours.timeZone');
    expect((await t.call('POST', '/v1/review/ndg_missing', { action: 'approve' })).status).toBe(404);
  });
});
