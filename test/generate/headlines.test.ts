import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXPOSURE_COLLECTION } from '../../src/experiment/exposure-log.ts';
import { checkFacts } from '../../src/generate/checker.ts';
import { itemFacts } from '../../src/generate/facts.ts';
import type { StoredItem } from '../../src/domain/schemas.ts';
import { makeTestApp, type TestApp } from '../helpers.ts';
import { call, seedShop, SHOP } from './fixtures.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
  await seedShop(t);
});
afterEach(async () => t.close());

const post = async (body: unknown, headers?: Record<string, string>) => {
  const r = await call(t, 'POST', '/v1/content/headlines', body, headers);
  return { status: r.statusCode, body: r.json() };
};

/** A news front page in the editor's order; the last entry is a catalogue item (its categories are read). */
const FRONT = [
  { id: 'a1', title: 'Council votes on the budget', tags: ['politics'] },
  { id: 'a2', title: 'New bike lanes for the morning commute', tags: ['commuting'] },
  { id: 'a3', title: 'Trail season opens in the hills', tags: ['running', 'trail'] },
  { id: 'a4', itemId: 'lamp-1' },
];
const VARIANTS = [
  { id: 'price', text: 'Trail Runner 2, now in store', features: { angle: 'price' } },
  { id: 'story', text: 'The shoe for wet rock', features: { angle: 'story' } },
];
const shoe = itemFacts({ ...SHOP[0], available: true, updatedAt: 0 } as StoredItem, 'en');

describe('POST /v1/content/headlines', () => {
  it("reorders a front page by each reader's interests, and keeps the editor's order without personalization", async () => {
    const ana = await post({ userId: 'ana', items: FRONT });
    const ben = await post({ userId: 'ben', items: FRONT });
    expect(ana.status).toBe(200);
    expect(ana.body).toMatchObject({ kind: 'headline', by: 'embedded', personalized: true, language: 'es' });
    expect(ana.body.items[0]).toMatchObject({ id: 'a3', matches: expect.arrayContaining(['running']) });
    expect(ben.body.items[0]).toMatchObject({ id: 'a2', matches: ['commuting'] });
    expect(ben.body.items.find((e: { id: string }) => e.id === 'a4').title).toBe('Desk Lamp Lumo');
    // Entries matching nothing keep the editor's relative order.
    const rest = ana.body.items.filter((e: { score: number }) => e.score === 0).map((e: { id: string }) => e.id);
    expect(rest).toEqual(FRONT.map((f) => f.id).filter((id) => rest.includes(id)));
    expect(ana.body.basis.facts).toContainEqual({ itemId: 'a3', field: 'interest', value: 'running' });
    await call(t, 'PUT', '/v1/users/ana/consent', { personalization: false });
    const generic = await post({ userId: 'ana', items: FRONT });
    expect(generic.body.personalized).toBe(false);
    expect(generic.body.items.map((e: { id: string }) => e.id)).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(generic.body.items[0].score).toBeNull();
  });

  it('chooses among the variants and a written one with the decision point, logging the propensity', async () => {
    expect((await call(t, 'PUT', '/v1/decision-points/headlines', { policy: 'uniform' })).statusCode).toBe(200);
    const r = await post({ userId: 'ben', variants: VARIANTS, write: { itemId: 'shoe-1' } });
    expect(r.status).toBe(200);
    expect(r.body.variant.propensity).toBeCloseTo(1 / 3, 6);
    expect(r.body.variant.decisionId).toMatch(/^dec_/);
    expect(['price', 'story', 'written']).toContain(r.body.variant.id);
    expect(r.body.variant.text).toBe(r.body.variant.id === 'written' ? r.body.written.text : VARIANTS.find((v) => v.id === r.body.variant.id)!.text);
    const docs = await t.engine.store.listDocs('default', EXPOSURE_COLLECTION);
    const doc = docs.find((d) => d.id === r.body.contentId);
    expect(doc?.body).toMatchObject({ experiment: 'content:headlines', variant: r.body.variant.id, person: 'ben' });
    expect(doc?.body.propensity).toBeCloseTo(1 / 3, 6);
    // A single option needs no draw: shown with propensity 1.
    const one = await post({ userId: 'ben', write: { itemId: 'shoe-1' } });
    expect(one.body.variant).toMatchObject({ id: 'written', propensity: 1, decisionId: null });
  });

  it("writes the headline from the item's facts in each reader's language and tone, and an ad with their form of address", async () => {
    const ben = (await post({ userId: 'ben', write: { itemId: 'shoe-1' } })).body;
    const ana = (await post({ userId: 'ana', write: { itemId: 'shoe-1' } })).body;
    // Ben reads technical English, and shoes are among his interests: the item's own sentence saying so.
    // Ana reads informal Spanish (the English description is not quoted to her): what matches her running.
    expect(ben.written.text).toBe('Trail Runner 2 — A light trail running shoe');
    expect(ana.written.text).toMatch(/^Trail Runner 2: (Pensado|Ideal|Diseñado) para correr/);
    for (const b of [ben, ana]) {
      expect(checkFacts(b.written.text, { items: [shoe] }).problems).toEqual([]);
      expect(b.basis.facts.every((f: { itemId: string }) => f.itemId === 'shoe-1')).toBe(true);
    }
    const adAna = (await post({ userId: 'ana', kind: 'ad', write: { itemId: 'shoe-1' } })).body;
    expect(adAna.written.text).toMatch(/¡Échale un vistazo!$/);
    await call(t, 'PUT', '/v1/users/ana', { traits: { address: 'usted' } });
    const usted = (await post({ userId: 'ana', kind: 'ad', write: { itemId: 'shoe-1' } })).body;
    expect(usted.written.text).toMatch(/¡Échele un vistazo!$/);
    // A direct reader, de usted: the price as it is, and a short call to action in their form.
    await call(t, 'PUT', '/v1/users/cy', { traits: { language: 'es', tone: 'direct', address: 'usted' } });
    await call(t, 'PUT', '/v1/users/cy/consent', { marketing: true });
    const cy = (await post({ userId: 'cy', kind: 'ad', write: { itemId: 'bag-1' } })).body;
    expect(cy).toMatchObject({ tone: 'direct', address: 'usted', language: 'es' });
    expect(cy.written.text).toBe('Commuter Backpack 20 L — 69 €. Compre ahora.');
    const adBen = (await post({ userId: 'ben', kind: 'ad', write: { itemId: 'shoe-1' } })).body;
    expect(adBen.written.text).toBe('Trail Runner 2 — A light trail running shoe. See the full specifications.');
  });

  it('needs marketing consent for an ad (not for headlines), names bad fields, and is closed to public keys', async () => {
    const ad = await post({ userId: 'cy', kind: 'ad', variants: VARIANTS });
    expect(ad.status).toBe(409);
    expect(ad.body.error.field).toBe('userId');
    expect((await post({ userId: 'cy', variants: VARIANTS })).status).toBe(200);
    for (const [body, field, status] of [
      [{ userId: 'ana' }, 'items', 400],
      [{ userId: 'ana', variants: [{ id: 'written', text: 'x' }], write: { itemId: 'shoe-1' } }, 'variants', 400],
      [{ userId: 'ana', write: { itemId: 'nope' } }, 'write.itemId', 404],
      [{ userId: 'ana', kind: 'banner', items: FRONT }, 'kind', 400],
      [{ userId: 'ana', items: [FRONT[0], FRONT[0]] }, 'items', 400],
    ] as const) {
      const r = await post(body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(r.body.error.field).toBe(field);
    }
    const pub = (await call(t, 'POST', '/v1/keys', { scope: 'public' })).json().key;
    expect((await post({ userId: 'ana', items: FRONT }, { authorization: `Bearer ${pub}` })).status).toBe(403);
  });
});
