import { afterEach, describe, expect, it } from 'vitest';
import { AUTH, makeTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
afterEach(async () => t?.close());

describe('the survey event (NPS: 0 to 10)', () => {
  it('accepts whole answers from 0 to 10 and rejects the rest by index, naming value', async () => {
    t = await makeTestApp();
    const values = [0, 7, 10, -1, 11, 8.5, undefined];
    const r = await t.app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: AUTH,
      payload: values.map((value) => ({ type: 'survey', userId: 'ana', ...(value === undefined ? {} : { value }) })),
    });
    const body = r.json();
    expect(body.accepted).toBe(3);
    expect(body.rejected.map((x: { index: number; field: string }) => [x.index, x.field])).toEqual([
      [3, '[3].value'],
      [4, '[4].value'],
      [5, '[5].value'],
      [6, '[6].value'],
    ]);
    const stored = await t.engine.store.eventsOf('default', 'ana');
    expect(stored.map((e) => [e.type, e.value])).toEqual([
      ['survey', 0],
      ['survey', 7],
      ['survey', 10],
    ]);
  });
});
