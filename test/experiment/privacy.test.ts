import { afterEach, describe, expect, it } from 'vitest';
import { items, makeTestApp, type TestApp, caller } from '../helpers.ts';

/** The exposure log buffers in memory: what the privacy routes answer must include, or drop, what is still buffered. */
let t: TestApp;
afterEach(async () => t?.close());

const call = caller(() => t.app);

async function servedInExperiment(userId: string) {
  t = await makeTestApp();
  await call('PUT', '/v1/items', items(10));
  await call('POST', '/v1/experiments', {
    key: 'exp1',
    variants: [
      { name: 'a', weight: 1, strategy: 'popular' },
      { name: 'b', weight: 1, strategy: 'none' },
    ],
  });
  await call('POST', '/v1/experiments/exp1/start');
  const r = await call('GET', `/v1/recommendations?userId=${userId}`);
  expect(r.json().experiment).toBe('exp1');
}

describe("experiment exposures and the person's rights", () => {
  it('an export made right after an answer holds its exposure (the buffer is flushed first)', async () => {
    await servedInExperiment('ana');
    const exp = (await call('GET', '/v1/users/ana/export')).json();
    expect(exp.collections.exposure, JSON.stringify(exp.collections)).toBe(1);
  });

  it('an erasure right after an answer leaves no exposure naming the person', async () => {
    await servedInExperiment('bo');
    expect((await call('DELETE', '/v1/users/bo')).statusCode).toBe(204);
    await t.engine.experiments.log.flush();
    const left = await t.engine.store.listDocs('default', 'exposure', { limit: 100 });
    expect(left.filter((d) => d.subject === 'bo' || JSON.stringify(d.body).includes('"bo"'))).toEqual([]);
  });
});
