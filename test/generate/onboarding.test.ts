import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPOSURE_COLLECTION } from '../../src/experiment/exposure-log.ts';
import { detectLanguage } from '../../src/text/language.ts';
import { makeTestApp, type TestApp } from '../helpers.ts';
import { call } from './fixtures.ts';
import { SAAS_STEPS, stepEvent } from './onboarding-fixtures.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(async () => t.close());

const get = async (id: string, headers?: Record<string, string>) => {
  const r = await call(t, 'GET', `/v1/users/${encodeURIComponent(id)}/onboarding`, undefined, headers);
  return { status: r.statusCode, body: r.json() };
};
const ok = async (p: Promise<{ statusCode: number; body: string }>) => {
  const r = await p;
  if (r.statusCode >= 300) throw new Error(r.body);
  return r;
};

async function people(): Promise<void> {
  await ok(call(t, 'PUT', '/v1/onboarding/steps', SAAS_STEPS));
  await ok(call(t, 'PUT', '/v1/users/ana', { traits: { name: 'Ana López', language: 'es', tone: 'informal', role: 'marketing' } }));
  await ok(call(t, 'PUT', '/v1/users/ben', { traits: { name: 'Ben', language: 'en', tone: 'technical', role: 'it' } }));
  await ok(call(t, 'PUT', '/v1/users/carmen', { traits: { name: 'Carmen', language: 'es', tone: 'direct', address: 'usted', role: 'sales' } }));
  await ok(call(t, 'POST', '/v1/events', [stepEvent('ben', 'profile', t.clock() - 3_600_000)]));
}

describe('GET /v1/users/:id/onboarding', () => {
  it("orders the steps for each person's role, prerequisites first, in their language and tone", async () => {
    await people();
    const ana = await get('ana');
    const ben = await get('ben');
    expect(ana.status).toBe(200);
    expect(ana.body).toMatchObject({
      kind: 'onboarding',
      by: 'embedded',
      personalized: true,
      language: 'es',
      tone: 'informal',
      address: 'tu',
      role: 'marketing',
    });
    expect(ben.body).toMatchObject({ language: 'en', tone: 'technical', role: 'it' });
    const ids = (b: { steps: Array<{ id: string }> }) => b.steps.map((s) => s.id);
    // Marketing's steps (campaigns) come early, IT's (sso) early for Ben; a step never precedes its prerequisite.
    expect(ana.body.candidates.role.indexOf('campaign')).toBeLessThan(ana.body.candidates.role.indexOf('sso'));
    expect(ben.body.candidates.role.indexOf('sso')).toBeLessThan(ben.body.candidates.role.indexOf('campaign'));
    for (const b of [ana.body, ben.body]) {
      expect(ids(b)).toEqual(b.candidates[b.order]);
      for (const order of Object.values(b.candidates) as string[][])
        for (const s of SAAS_STEPS.steps)
          for (const p of s.prerequisites ?? []) expect(order.indexOf(p), `${p} before ${s.id}`).toBeLessThan(order.indexOf(s.id));
    }
    // What Ben did is done and listed first; the next step is the first not done.
    expect(ben.body.steps[0]).toMatchObject({ id: 'profile', done: true });
    expect(ben.body.next).toBe(ben.body.steps[1].id);
    expect(ben.body.basis.signals).toContainEqual({ name: 'stepsDone', value: ['profile'], source: 'profile' });
    expect(ana.body.basis.signals).toContainEqual({ name: 'role', value: 'marketing', source: 'trait' });
    // Titles in the reader's language; the message in their language, tone and address.
    expect(ana.body.steps.find((s: { id: string }) => s.id === 'connect').title).toBe('Conecta tus datos');
    expect(ana.body.text).toMatch(/^¡(Hola|Te damos la bienvenida) Ana!/);
    expect(detectLanguage(ana.body.text).language).toBe('es');
    expect(detectLanguage(ben.body.text).language).toBe('en');
    expect(ben.body.text).toContain('Completed: 1 of 6.');
    expect(ben.body.html).toContain('<ol><li>');
    const carmen = await get('carmen');
    expect(carmen.body).toMatchObject({ tone: 'direct', address: 'usted', role: 'sales' });
    expect(carmen.body.text).toMatch(/Sus pasos \(sales\):/);
    // The writer's own words (before the workspace's step titles) are de usted.
    const own = carmen.body.text.split('\n1. ')[0].replace(/Siguiente: .*/, '');
    expect(own).not.toMatch(/(?<!\p{L})(tus|tú|te|empieza)(?!\p{L})/iu);
  });

  it('chooses among the distinct orders with the onboarding decision point, logs the propensity, and keeps the choice', async () => {
    await people();
    await ok(call(t, 'PUT', '/v1/decision-points/onboarding', { policy: 'uniform' }));
    const first = await get('ana');
    const kinds = Object.keys(first.body.candidates);
    expect(kinds).toEqual(expect.arrayContaining(['role', 'defined']));
    expect(first.body.propensity).toBeCloseTo(1 / kinds.length, 6);
    expect(first.body.decisionId).toMatch(/^dec_/);
    // The same plan on the next visit: the person keeps the order chosen for them.
    const again = await get('ana');
    expect(again.body.decisionId).toBe(first.body.decisionId);
    expect(again.body.order).toBe(first.body.order);
    const docs = await t.engine.store.listDocs('default', EXPOSURE_COLLECTION);
    const doc = docs.find((d) => d.id === first.body.contentId);
    expect(doc?.body).toMatchObject({ experiment: 'content:onboarding', variant: first.body.order, person: 'ana' });
    expect(doc?.body.propensity).toBeCloseTo(1 / kinds.length, 6);
    // New steps: a new choice.
    t.clock.advance(1000);
    await ok(call(t, 'PUT', '/v1/onboarding/steps', { ...SAAS_STEPS, roleTrait: 'role' }));
    expect((await get('ana')).body.decisionId).not.toBe(first.body.decisionId);
    // A workspace that does not explore: the best candidate there is (here the role's), nothing drawn.
    t.clock.advance(1000);
    await ok(call(t, 'PUT', '/v1/onboarding/steps', { ...SAAS_STEPS, explore: false }));
    expect((await get('ana')).body).toMatchObject({ order: 'role', propensity: 1, decisionId: null });
  });

  it('learns, for a role with little data, the order that led people of similar roles to activate', async () => {
    await ok(call(t, 'PUT', '/v1/onboarding/steps', SAAS_STEPS));
    const events = [];
    const hour = 3_600_000;
    const start = t.clock() - 30 * 24 * hour;
    // Marketers who invited their team before their first campaign activated (bought); the others did not.
    for (let k = 0; k < 12; k++) {
      const id = `m${k}`;
      await ok(call(t, 'PUT', `/v1/users/${id}`, { traits: { role: 'marketing' } }));
      const inviteFirst = k % 2 === 0;
      const order = inviteFirst ? ['profile', 'connect', 'invite', 'campaign'] : ['profile', 'connect', 'campaign', 'invite'];
      for (const [i, s] of order.entries()) events.push(stepEvent(id, s, start + k * hour + i * 60_000));
      if (inviteFirst) events.push({ type: 'purchase', userId: id, itemId: 'plan-pro', timestamp: new Date(start + k * hour + 10 * 60_000).toISOString() });
    }
    await ok(call(t, 'POST', '/v1/events', events));
    await ok(call(t, 'PUT', '/v1/users/gus', { traits: { role: 'growth', language: 'en' } }));
    const gus = await get('gus');
    expect(gus.status).toBe(200);
    const learned: string[] = gus.body.candidates.learned;
    expect(learned.indexOf('invite')).toBeLessThan(learned.indexOf('campaign'));
    expect(gus.body.basis.signals.find((s: { name: string }) => s.name === 'learnedFrom').value).toMatch(/of this role/);
    // The role's own order puts the step with more of its tags first (campaign: two, invite: one).
    expect(gus.body.candidates.role.indexOf('campaign')).toBeLessThan(gus.body.candidates.role.indexOf('invite'));
    // The people it learnt from are not personalised without their consent.
    for (let k = 0; k < 12; k += 2) await ok(call(t, 'PUT', `/v1/users/m${k}/consent`, { personalization: false }));
    await ok(call(t, 'PUT', '/v1/onboarding/steps', { ...SAAS_STEPS, roleTrait: 'role' })); // a new version: journeys are read again
    const after = await get('gus');
    expect(after.body.candidates.learned).toBeUndefined();
  });

  it('without personalization: the workspace order, done steps still ticked, no role, no decision', async () => {
    await people();
    await ok(call(t, 'PUT', '/v1/users/ben/consent', { personalization: false }));
    const ben = await get('ben');
    expect(ben.body).toMatchObject({ personalized: false, role: null, order: 'defined', decisionId: null, propensity: 1 });
    expect(Object.keys(ben.body.candidates)).toEqual(['defined']);
    expect(ben.body.steps.map((s: { id: string }) => s.id)).toEqual(['profile', 'connect', 'campaign', 'invite', 'sso', 'pipeline']);
    expect(ben.body.steps[0].done).toBe(true);
    expect(ben.body.basis.signals.map((s: { name: string }) => s.name)).not.toContain('role');
  });

  it('answers 404 before steps exist, refuses bad steps naming the field, and is closed to public keys', async () => {
    expect((await get('ana')).status).toBe(404);
    const bad: Array<[unknown, string]> = [
      [{ steps: [{ id: 'a', title: 'A', prerequisites: ['b'] }] }, 'steps[0].prerequisites[0]'],
      [
        {
          steps: [
            { id: 'a', title: 'A', prerequisites: ['b'] },
            { id: 'b', title: 'B', prerequisites: ['a'] },
          ],
        },
        'steps[0].prerequisites',
      ],
      [{ steps: [{ id: 'a', title: {} }] }, 'steps[0].title'],
      [{ steps: [] }, 'steps'],
      [{ steps: [{ id: 'a', title: 'A' }], activation: { step: 'z' } }, 'activation.step'],
    ];
    for (const [body, field] of bad) {
      const r = await call(t, 'PUT', '/v1/onboarding/steps', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error.field).toBe(field);
    }
    await people();
    const pub = (await call(t, 'POST', '/v1/keys', { scope: 'public' })).json().key;
    const auth = { authorization: `Bearer ${pub}` };
    expect((await get('ana', auth)).status).toBe(403);
    expect((await call(t, 'PUT', '/v1/onboarding/steps', SAAS_STEPS, auth)).statusCode).toBe(403);
    expect((await call(t, 'GET', '/v1/onboarding/steps', undefined, auth)).statusCode).toBe(403);
    expect((await get('anon:x')).status).toBe(400);
  });

  it('an erased person gets the generic plan and leaves no exposure or kept choice naming them', async () => {
    await people();
    expect((await call(t, 'DELETE', '/v1/users/ana')).statusCode).toBe(204);
    const ana = await get('ana');
    expect(ana.body).toMatchObject({ personalized: false, order: 'defined' });
    expect(ana.body.basis.signals.map((s: { name: string }) => s.name)).not.toContain('name');
    await t.engine.experiments.log.flush();
    expect((await t.engine.store.docsOfSubject('default', 'ana')).length).toBe(0);
  });
});
