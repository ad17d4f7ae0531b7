import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPOSURE_COLLECTION } from '../../src/experiment/exposure-log.ts';
import { checkFacts } from '../../src/generate/checker.ts';
import { detectLanguage } from '../../src/text/language.ts';
import { makeTestApp, type TestApp } from '../helpers.ts';
import { call, seedShop } from './fixtures.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
  await seedShop(t);
});
afterEach(async () => t.close());

const post = async (url: string, body: unknown, headers?: Record<string, string>) => {
  const r = await call(t, 'POST', url, body, headers);
  return { status: r.statusCode, body: r.json() };
};

describe('POST /v1/content/email', () => {
  it('writes each person their email: language, tone, their items with reasons, the basis, the embedded writer', async () => {
    const ana = await post('/v1/content/email', { userId: 'ana', goal: 'win-back' });
    const ben = await post('/v1/content/email', { userId: 'ben', goal: 'win-back' });
    expect(ana.status).toBe(200);
    expect(ben.status).toBe(200);
    expect(ana.body).toMatchObject({ kind: 'email', goal: 'win-back', by: 'embedded', personalized: true, language: 'es', tone: 'informal', address: 'tu' });
    expect(ben.body).toMatchObject({ language: 'en', tone: 'technical' });
    expect(ana.body.contentId).toMatch(/^cnt_/);
    expect(ana.body.subject).toContain('Ana');
    expect(ana.body.text).toContain('Han pasado 18 días');
    expect(ana.body.html).toContain('<html lang="es">');
    expect(ana.body.items.length).toBeGreaterThan(0);
    for (const it of ana.body.items) expect(it.reasons.length, it.id).toBeGreaterThan(0);
    expect(ana.body.recommendationId).toMatch(/^rec_/);
    expect(ana.body.text).not.toBe(ben.body.text);
    expect(detectLanguage(ben.body.text).language).toBe('en');
    // The basis names what was used: the declared language, the interests, every item's price.
    const signal = (b: any, name: string) => b.basis.signals.find((s: any) => s.name === name);
    expect(signal(ana.body, 'language')).toEqual({ name: 'language', value: 'es', source: 'trait' });
    expect(signal(ana.body, 'interests').value).toContain('running');
    for (const it of ana.body.items) expect(ana.body.basis.facts).toContainEqual({ itemId: it.id, field: 'price', value: it.price });
    // Every price and number in the text is among the facts.
    const facts = ana.body.basis.facts;
    expect(facts.some((f: any) => f.field === 'reason')).toBe(true);
  });

  it('reminds of the cart with what is in it, and refuses a cart reminder for an empty cart', async () => {
    const ana = await post('/v1/content/email', { userId: 'ana', goal: 'cart-reminder' });
    expect(ana.status).toBe(200);
    expect(ana.body.items.map((i: any) => i.id)).toEqual(['shoe-1']);
    expect(ana.body.items[0].reasons).toEqual(['Sigue en tu carrito']);
    const ben = await post('/v1/content/email', { userId: 'ben', goal: 'cart-reminder' });
    expect(ben.status).toBe(409);
    expect(ben.body.error.field).toBe('goal');
  });

  it('writes the post-purchase email about what was bought, and replenishment only for buyers', async () => {
    const ben = await post('/v1/content/email', { userId: 'ben', goal: 'post-purchase' });
    expect(ben.status).toBe(200);
    expect(ben.body.basis.signals).toContainEqual({ name: 'lastBought', value: 'bag-1', source: 'profile' });
    expect(ben.body.items.map((i: any) => i.id)).not.toContain('bag-1');
    const re = await post('/v1/content/email', { userId: 'ana', goal: 'replenishment' });
    expect(re.status).toBe(200);
    expect(re.body.items.map((i: any) => i.id)).toContain('sock-1');
    await call(t, 'PUT', '/v1/users/cy/consent', { marketing: true });
    expect((await post('/v1/content/email', { userId: 'cy', goal: 'replenishment' })).status).toBe(409);
    const fresh = await post('/v1/content/email', { userId: 'cy', goal: 'new-arrivals' });
    expect(fresh.status).toBe(200);
    for (const it of fresh.body.items) expect(it.reasons[0]).toBe('New in the catalogue');
  });

  it('honours consent: no marketing, no email; no personalization, the generic email', async () => {
    const none = await post('/v1/content/email', { userId: 'cy', goal: 'win-back' });
    expect(none.status).toBe(409);
    expect(none.body.error.field).toBe('userId');
    expect(none.body.error.message).toContain('marketing');
    await call(t, 'PUT', '/v1/users/ana/consent', { personalization: false });
    const generic = await post('/v1/content/email', { userId: 'ana', goal: 'win-back' });
    expect(generic.status).toBe(200);
    expect(generic.body.personalized).toBe(false);
    expect(generic.body.basis.signals.map((s: any) => s.name)).not.toContain('interests');
    expect(generic.body.text).not.toContain('18 días');
    expect(generic.body.text).not.toMatch(/Porque (viste|compraste)/);
    expect((await post('/v1/content/email', { userId: 'ana', goal: 'cart-reminder' })).status).toBe(409);
  });

  it('logs each piece as an exposure, and names the field of bad input', async () => {
    const ana = await post('/v1/content/email', { userId: 'ana', goal: 'win-back' });
    // Written by the time the answer is sent: no write lands later, in the middle of other requests.
    const docs = await t.engine.store.listDocs('default', EXPOSURE_COLLECTION);
    const doc = docs.find((d) => d.id === ana.body.contentId);
    expect(doc?.body).toMatchObject({ experiment: 'content:email:win-back', variant: 'embedded', person: 'ana' });
    expect(doc?.body.items).toEqual(ana.body.items.map((i: any) => i.id));
    for (const [body, field] of [
      [{ userId: 'ana', goal: 'birthday' }, 'goal'],
      [{ goal: 'win-back' }, 'userId'],
      [{ userId: 'ana', goal: 'win-back', n: 50 }, 'n'],
      [{ userId: 'ana', goal: 'win-back', extra: 1 }, 'extra'],
    ] as const) {
      const r = await post('/v1/content/email', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.field).toBe(field);
    }
  });

  it('is closed to public keys', async () => {
    const pub = (await call(t, 'POST', '/v1/keys', { scope: 'public' })).json().key;
    const r = await post('/v1/content/email', { userId: 'ana', goal: 'win-back' }, { authorization: `Bearer ${pub}` });
    expect(r.status).toBe(403);
    const d = await post('/v1/content/description', { userId: 'ana', itemId: 'shoe-1' }, { authorization: `Bearer ${pub}` });
    expect(d.status).toBe(403);
  });
});

describe('POST /v1/content/description', () => {
  it("describes the item from its own facts, in each reader's language and order", async () => {
    const ana = await post('/v1/content/description', { userId: 'ana', itemId: 'shoe-1' });
    const ben = await post('/v1/content/description', { userId: 'ben', itemId: 'shoe-1' });
    expect(ana.status).toBe(200);
    expect(ana.body).toMatchObject({ kind: 'description', itemId: 'shoe-1', title: 'Trail Runner 2', language: 'es', by: 'embedded' });
    expect(ana.body.text).toMatch(/(Cuesta|Por|Su precio:) 89,90 €/);
    expect(ana.body.text).not.toContain('Lugged outsole'); // the English description is not quoted to a Spanish reader
    expect(ben.body.text).toContain('Lugged outsole for grip on wet rock.');
    expect(ben.body.text).not.toBe(ana.body.text);
    for (const b of [ana.body, ben.body]) {
      const items = [
        {
          id: 'shoe-1',
          title: 'Trail Runner 2',
          price: 89.9,
          currency: 'EUR',
          uses: [],
          attributes: [{ name: 'weight', value: 260 }],
          sentences: b.basis.facts.filter((f: any) => f.field === 'description').map((f: any) => f.value),
          reasons: [],
          available: true,
        },
      ];
      expect(checkFacts(b.text, { items }).problems).toEqual([]);
      for (const f of b.basis.facts) expect(f.itemId).toBe('shoe-1');
    }
  });

  it('answers 404 naming itemId for an unknown item, and writes the generic version without personalization', async () => {
    const r = await post('/v1/content/description', { userId: 'ana', itemId: 'nope' });
    expect(r.status).toBe(404);
    expect(r.body.error.field).toBe('itemId');
    await call(t, 'PUT', '/v1/users/ben/consent', { personalization: false });
    const generic = await post('/v1/content/description', { userId: 'ben', itemId: 'shoe-1' });
    expect(generic.body.personalized).toBe(false);
    expect(generic.body.text.split('\n')[2]).toMatch(/^Price: 89\.90 €\./);
  });
});

describe('an erased person', () => {
  it('gets no email, only the generic description, and leaves no exposure naming them', async () => {
    expect((await call(t, 'DELETE', '/v1/users/ana')).statusCode).toBe(204);
    expect((await post('/v1/content/email', { userId: 'ana', goal: 'win-back' })).status).toBe(409);
    const d = await post('/v1/content/description', { userId: 'ana', itemId: 'shoe-1' });
    expect(d.status).toBe(200);
    expect(d.body.personalized).toBe(false);
    expect(d.body.basis.signals.map((s: { name: string }) => s.name)).not.toContain('name');
    await t.engine.experiments.log.flush();
    expect((await t.engine.store.listDocs('default', EXPOSURE_COLLECTION)).filter((x) => x.subject === 'ana')).toEqual([]);
  });
});

describe('the brand voice', () => {
  it('is read by server keys, set by admin keys, and signs the emails', async () => {
    expect((await call(t, 'GET', '/v1/content/voice')).json()).toMatchObject({ tone: 'informal', language: 'en' });
    const put = await call(t, 'PUT', '/v1/content/voice', { brand: 'Vento', tone: 'direct', address: 'usted' });
    expect(put.statusCode).toBe(200);
    const bad = await call(t, 'PUT', '/v1/content/voice', { tone: 'shouty' });
    expect(bad.json().error.field).toBe('tone');
    const server = (await call(t, 'POST', '/v1/keys', { scope: 'server' })).json().key;
    expect((await call(t, 'PUT', '/v1/content/voice', { brand: 'X' }, { authorization: `Bearer ${server}` })).statusCode).toBe(403);
    await call(t, 'PUT', '/v1/users/cy/consent', { marketing: true });
    await call(t, 'PUT', '/v1/users/cy', { traits: { language: 'es' } });
    const cy = await post('/v1/content/email', { userId: 'cy', goal: 'win-back' });
    expect(cy.body).toMatchObject({ tone: 'direct', address: 'usted' });
    expect(cy.body.text).toContain('El equipo de Vento');
  });
});
