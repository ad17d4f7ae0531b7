import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type RetentionConfig } from '../../src/config.ts';
import { assignmentCollection, EXPOSURE_COLLECTION } from '../../src/experiment/exposure-log.ts';
import { items, makeTestApp, type TestApp, caller } from '../helpers.ts';

let t: TestApp;
afterEach(async () => t?.close());

const DAY = 86_400_000;
const call = caller(() => t.app);

const count = async (collection: string, experiment?: string) =>
  (await t.engine.store.listDocs('default', collection, { limit: 100_000 })).filter((d) => experiment === undefined || d.body.experiment === experiment).length;

async function experiment(key: string, context: string) {
  const variants = [
    { name: 'control', weight: 1, strategy: 'none' },
    { name: 'pop', weight: 1, strategy: 'popular' },
  ];
  expect((await call('POST', '/v1/experiments', { key, variants, contexts: [context] })).statusCode).toBe(201);
  expect((await call('POST', `/v1/experiments/${key}/start`)).statusCode).toBe(200);
}

describe('retention of exposures and assignments', () => {
  it('ages out a stopped experiment’s exposures and assignments, never a running one’s, and reports the limit', async () => {
    t = await makeTestApp();
    const privacy = (await call('GET', '/v1/privacy')).json();
    expect(privacy.retention.exposureMaxAgeDays).toBe(90);

    await call('PUT', '/v1/items', items(10));
    await experiment('old', 'email');
    await experiment('live', 'home');
    for (let p = 0; p < 6; p++) {
      expect((await call('GET', `/v1/recommendations?userId=p${p}&context=email`)).statusCode).toBe(200);
      expect((await call('GET', `/v1/recommendations?userId=p${p}&context=home`)).statusCode).toBe(200);
    }
    // A generated email's exposure: no experiment claims it, so it ages out on its own.
    t.engine.experiments.log.add('default', {
      collection: EXPOSURE_COLLECTION,
      id: 'content-1',
      subject: 'p0',
      body: { experiment: 'content:email', variant: 'llm', strategy: 'generated', propensity: 1, context: 'email', items: [], person: 'p0' },
      createdAt: t.clock(),
    });
    await t.engine.experiments.log.flush();
    expect(await count(assignmentCollection('old'))).toBe(6);
    expect(await count(assignmentCollection('live'))).toBe(6);
    expect(await count(EXPOSURE_COLLECTION, 'old')).toBe(6);
    expect(await count(EXPOSURE_COLLECTION, 'live')).toBe(6);

    t.clock.advance(30 * DAY);
    expect((await call('POST', '/v1/experiments/old/stop')).json().status).toBe('stopped');

    // Day 91: every exposure is past 90 days, but `old` stopped only 61 days ago: only the content's goes.
    t.clock.advance(61 * DAY);
    const first = (await call('POST', '/v1/privacy/retention/run')).json();
    expect(first).toMatchObject({ exposures: 1, assignments: 0, exposureCutoff: new Date(t.clock() - 90 * DAY).toISOString() });
    expect(await count(EXPOSURE_COLLECTION, 'content:email')).toBe(0);
    expect(await count(EXPOSURE_COLLECTION, 'old')).toBe(6);
    expect(await count(assignmentCollection('old'))).toBe(6);

    // Day 121: `old` stopped 91 days ago and goes whole; `live`, running, keeps everything however old.
    t.clock.advance(30 * DAY);
    const second = (await call('POST', '/v1/privacy/retention/run')).json();
    expect(second).toMatchObject({ exposures: 6, assignments: 6 });
    expect(await count(EXPOSURE_COLLECTION, 'old')).toBe(0);
    expect(await count(assignmentCollection('old'))).toBe(0);
    expect(await count(EXPOSURE_COLLECTION, 'live')).toBe(6);
    expect(await count(assignmentCollection('live'))).toBe(6);
    expect((await call('GET', '/v1/privacy')).json().retention.lastRun).toMatchObject({ exposures: 6, assignments: 6 });

    // Once stopped long enough, `live` goes too.
    expect((await call('POST', '/v1/experiments/live/stop')).statusCode).toBe(200);
    t.clock.advance(91 * DAY);
    expect((await call('POST', '/v1/privacy/retention/run')).json()).toMatchObject({ exposures: 6, assignments: 6 });
    expect(await count(EXPOSURE_COLLECTION)).toBe(0);
  }, 30_000);

  it('keeps them forever when the limit is off (AFIN_EXPOSURE_RETENTION_DAYS=0)', async () => {
    t = await makeTestApp();
    // As loadConfig sets it from AFIN_EXPOSURE_RETENTION_DAYS=0 (a copy: the default config object is shared).
    const job = t.engine.privacy.retention as unknown as { config: RetentionConfig };
    job.config = { ...job.config, exposureMaxAgeDays: null };
    expect((await call('GET', '/v1/privacy')).json().retention.exposureMaxAgeDays).toBeNull();
    await call('PUT', '/v1/items', items(10));
    await experiment('old', 'home');
    await call('GET', '/v1/recommendations?userId=p0&context=home');
    await t.engine.experiments.log.flush();
    expect((await call('POST', '/v1/experiments/old/stop')).statusCode).toBe(200);
    t.clock.advance(1000 * DAY);
    expect((await call('POST', '/v1/privacy/retention/run')).json()).toMatchObject({ exposures: 0, assignments: 0, exposureCutoff: null });
    expect(await count(assignmentCollection('old'))).toBe(1);
  });

  it('reads the limit from AFIN_EXPOSURE_RETENTION_DAYS (unset: the default; 0: forever)', () => {
    expect(loadConfig({}).retention.exposureMaxAgeDays).toBeUndefined();
    expect(loadConfig({ AFIN_EXPOSURE_RETENTION_DAYS: '30' }).retention.exposureMaxAgeDays).toBe(30);
    expect(loadConfig({ AFIN_EXPOSURE_RETENTION_DAYS: '0' }).retention.exposureMaxAgeDays).toBeNull();
    expect(() => loadConfig({ AFIN_EXPOSURE_RETENTION_DAYS: '-3' })).toThrow(/AFIN_EXPOSURE_RETENTION_DAYS/);
  });
});
