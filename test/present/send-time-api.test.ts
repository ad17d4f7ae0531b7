import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DECISION_COLLECTION } from '../../src/present/decision-service.ts';
import { makeTestApp, type TestApp, caller } from '../helpers.ts';
import { chanceOf } from './chance.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(async () => {
  await t.close();
});

const call = caller(() => t.app);
const decide = (body: Record<string, unknown>) => call('POST', '/v1/decide', { point: 'send-time', ...body });

/** A person in Tokyo who acts around 21:00 there (12:xx UTC), over the last ten days. */
async function tokyoNightOwl(id: string) {
  await call('PUT', `/v1/users/${id}`, { traits: { timeZone: 'Asia/Tokyo' } });
  const day = 86_400_000;
  const events = Array.from({ length: 10 }, (_, d) => ({
    type: 'view',
    userId: id,
    itemId: 'x',
    timestamp: new Date(t.clock() - (d + 1) * day + 5 * 60_000).toISOString(),
  }));
  expect((await call('POST', '/v1/events', events)).json().accepted).toBe(10);
}

describe('the send-time decision point', () => {
  it('offers the 24 hours of the person’s day and leads with their usual hour, in their zone', async () => {
    await tokyoNightOwl('tk');
    // Clock: 2026-01-15 12:00 UTC, 21:00 in Tokyo. Before any reward the hour the person is most active wins.
    const r = await decide({ userId: 'tk' });
    expect(r.statusCode, r.body).toBe(200);
    const a = r.json();
    // The draw is random (the floor picks any hour 1 time in 20): the leader is checked by its chance.
    expect(a).toMatchObject({ timeZone: 'Asia/Tokyo', personalized: true });
    if (a.option === '21') {
      expect(a.sendAt).toBe('2026-01-16T12:00:00.000Z');
      expect(a.propensity).toBeCloseTo(0.95 + 0.05 / 24, 12);
    } else expect(a.propensity).toBeCloseTo(0.05 / 24, 12);
    await t.engine.decisions.log.flush();
    const logged = await t.engine.store.getDoc('default', DECISION_COLLECTION, a.decisionId);
    expect(logged?.body.options).toEqual(Array.from({ length: 24 }, (_, h) => String(h)));

    // The zone in the request wins over the trait: the same habit is 13:00 in Madrid (the same instant).
    const madrid = (await decide({ userId: 'tk', timeZone: 'Europe/Madrid' })).json();
    expect(madrid).toMatchObject({ timeZone: 'Europe/Madrid' });
    if (madrid.option === '13') expect(madrid.sendAt).toBe('2026-01-16T12:00:00.000Z');
    expect(madrid.propensity).toBeCloseTo(madrid.option === '13' ? 0.95 + 0.05 / 24 : 0.05 / 24, 12);
    // Offered only some hours, it chooses among them.
    const twoHours = (await decide({ userId: 'tk', options: [{ id: '8' }, { id: '20' }] })).json();
    expect(['8', '20']).toContain(twoHours.option);
    expect(chanceOf('20', twoHours)).toBeCloseTo(0.95 + 0.05 / 2, 12);

    // An open citing the decision is learnt once the window (24 h) closes.
    await call('POST', '/v1/events', [{ type: 'email_open', userId: 'tk', properties: { decisionId: a.decisionId } }]);
    t.clock.advance(25 * 3_600_000);
    await decide({ userId: 'tk' });
    const model = await t.engine.store.getDoc('default', 'decision-model', 'send-time');
    const hybrid = model?.body.hybrid as { arms: Record<string, unknown>; b0: number[] };
    expect(Object.keys(hybrid.arms).sort()).toEqual([...new Set([a.option, madrid.option, twoHours.option])].sort());
    expect(hybrid.b0.some((v) => v > 0)).toBe(true);
  }, 30_000);

  it('uses no activity without personalization consent: every hour ties', async () => {
    await tokyoNightOwl('tk');
    await call('PUT', '/v1/users/tk/consent', { personalization: false });
    const a = (await decide({ userId: 'tk' })).json();
    expect(a.personalized).toBe(false);
    expect(a.propensity).toBeCloseTo(1 / 24, 12);
    expect(a.timeZone).toBe('Asia/Tokyo');
  });

  it('refuses hours that are not hours, unknown zones, and other points without options, naming the field', async () => {
    expect((await decide({ userId: 'u', options: [{ id: 'noon' }] })).json().error).toMatchObject({ code: 'invalid_body', field: 'options' });
    expect((await decide({ userId: 'u', options: [{ id: '7', features: { a: 1 } }] })).json().error.field).toBe('options');
    expect((await decide({ userId: 'u', timeZone: 'Mars/Olympus' })).json().error.field).toBe('timeZone');
    expect((await call('POST', '/v1/decide', { userId: 'u', point: 'home' })).json().error.field).toBe('options');
    expect((await decide({ anonymousId: 'v' })).json()).toMatchObject({ timeZone: 'UTC' });
  });
});
