import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp, caller } from '../helpers.ts';

/**
 * Defaults that hold on real data, through the API: an imported rating log from long ago, full of
 * 1-3 star ratings, must serve as well as yesterday's.
 */
let t: TestApp;
beforeEach(async () => (t = await makeTestApp()));
afterEach(async () => t.close());

const call = caller(() => t.app);

const DAY = 86_400_000;

/** Three taste groups of six films; everyone rates four films of their group, with 1-5 stars. */
async function seedRatings(start: number) {
  const films = Array.from({ length: 18 }, (_, k) => ({ id: `f${k}`, title: `Film ${k}`, categories: [`g${Math.floor(k / 6)}`] }));
  expect((await call('PUT', '/v1/items', films)).statusCode).toBe(200);
  const events: object[] = [];
  for (let u = 0; u < 30; u++) {
    const g = u % 3;
    for (let j = 0; j < 4; j++) {
      const film = g * 6 + ((u + j) % 6);
      events.push({ type: 'rating', userId: `u${u}`, itemId: `f${film}`, value: 1 + ((u + j) % 5), timestamp: start + (u * 4 + j) * DAY });
    }
  }
  const r = await call('POST', '/v1/events', events);
  expect(r.json().accepted).toBe(events.length);
  expect((await call('POST', '/v1/train', {})).statusCode).toBe(200);
}

async function recs(userId: string) {
  const r = await call('GET', `/v1/recommendations?userId=${userId}&n=6&excludeSeen=true`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { personalized: boolean; items: Array<{ id: string; reasons: string[] }> };
}

const group = (id: string) => Math.floor(Number(id.slice(1)) / 6);

describe('served defaults', () => {
  it('a rating log from 1998 serves a person from their own group, like a fresh one', async () => {
    await seedRatings(Date.UTC(1998, 0, 1));
    for (const u of ['u0', 'u1', 'u2']) {
      const r = await recs(u);
      expect(r.personalized).toBe(true);
      // The two unseen films of the person's own group lead the list.
      expect(r.items.slice(0, 2).map((i) => group(i.id))).toEqual([Number(u.slice(1)) % 3, Number(u.slice(1)) % 3]);
    }
  });

  it('a person who only gave low ratings still gets films of their taste (a low rating is a weak yes, not a no)', async () => {
    await seedRatings(t.clock() - 200 * DAY);
    const low = [0, 1, 2].map((k) => ({ type: 'rating', userId: 'critic', itemId: `f${6 + k}`, value: k === 0 ? 1 : 2 }));
    expect((await call('POST', '/v1/events', low)).json().accepted).toBe(3);
    const r = await recs('critic');
    expect(r.personalized).toBe(true);
    expect(r.items.slice(0, 3).map((i) => group(i.id))).toEqual([1, 1, 1]);
  });

  it('a workspace that declares explicit ratings counts 1-2 stars against', async () => {
    await seedRatings(t.clock() - 200 * DAY);
    expect((await call('PUT', '/v1/settings/ranking', { ratings: 'explicit' })).statusCode).toBe(200);
    await call(
      'POST',
      '/v1/events',
      [1, 2].map((k) => ({ type: 'rating', userId: 'critic', itemId: `f${6 + k}`, value: 1 })),
    );
    const r = await recs('critic');
    expect(r.personalized).toBe(false);
  });

  it('a stage can be turned off by name, and an unknown stage is refused naming the field', async () => {
    expect((await call('PUT', '/v1/settings/ranking', { stages: { diversity: false } })).statusCode).toBe(200);
    const bad = await call('PUT', '/v1/settings/ranking', { stages: { magic: false } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toMatch(/stages/);
  });
});
