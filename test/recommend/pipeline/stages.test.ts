import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OFF_BY_DEFAULT, STAGE_NAMES, stageOn } from '../../../src/recommend/pipeline/stages.ts';
import { makeTestApp, type TestApp, caller } from '../../helpers.ts';

describe('stageOn', () => {
  it('runs every stage unless turned off, except seenDiscount, which runs only when turned on', () => {
    expect([...OFF_BY_DEFAULT]).toEqual(['seenDiscount']);
    for (const name of STAGE_NAMES) {
      expect(stageOn(undefined, name)).toBe(name !== 'seenDiscount');
      expect(stageOn({}, name)).toBe(name !== 'seenDiscount');
      expect(stageOn({ [name]: false }, name)).toBe(false);
      expect(stageOn({ [name]: true }, name)).toBe(true);
    }
  });
});

describe('seen items through the API', () => {
  let t: TestApp;
  beforeEach(async () => (t = await makeTestApp()));
  afterEach(async () => t.close());
  const call = caller(() => t.app);

  it('an item the person looked at keeps its score by default and sinks once the stage is turned on', async () => {
    const films = Array.from({ length: 12 }, (_, k) => ({ id: `i${k}`, title: `Item ${k}`, categories: [`c${Math.floor(k / 6)}`] }));
    expect((await call('PUT', '/v1/items', films)).statusCode).toBe(200);
    const events: object[] = [];
    const at = t.clock() - 86_400_000;
    // Two taste groups: each person views four items of their group.
    for (let u = 0; u < 20; u++)
      for (let j = 0; j < 4; j++) events.push({ type: 'view', userId: `u${u}`, itemId: `i${(u % 2) * 6 + ((u + j) % 6)}`, timestamp: at + u * 1000 + j });
    events.push({ type: 'view', userId: 'p', itemId: 'i0', timestamp: at }, { type: 'view', userId: 'p', itemId: 'i2', timestamp: at + 1 });
    expect((await call('POST', '/v1/events', events)).json().accepted).toBe(events.length);
    expect((await call('POST', '/v1/train', {})).statusCode).toBe(200);
    const scores = async () => {
      const r = await call('GET', '/v1/recommendations?userId=p&n=12');
      expect(r.statusCode, r.body).toBe(200);
      return new Map((r.json().items as Array<{ id: string; score: number }>).map((i) => [i.id, i.score]));
    };
    const plain = await scores();
    expect((await call('PUT', '/v1/settings/ranking', { stages: { seenDiscount: true } })).statusCode).toBe(200);
    const discounted = await scores();
    for (const seen of ['i0', 'i2']) {
      expect(plain.get(seen)).toBeGreaterThan(0);
      expect(discounted.get(seen)!).toBeLessThan(plain.get(seen)! * 0.5);
    }
    // Unseen items are untouched by the stage.
    expect(discounted.get('i1')).toBeCloseTo(plain.get('i1')!, 6);
  });
});
