import { describe, expect, it } from 'vitest';
import { checkFacts, checkStyle } from '../../src/generate/checker.ts';
import { itemFacts } from '../../src/generate/facts.ts';
import { SHOP } from './fixtures.ts';

const stored = SHOP.map((it) => ({ ...it, available: true, updatedAt: 0 }));
const facts = ['shoe-1', 'bag-1'].map((id) => itemFacts(stored.find((s) => s.id === id)!, 'en', ['Usually bought again after about 30 days']));
const all = { items: facts, numbers: [2], catalogTitles: stored.map((s) => s.title) };

describe('the fact checker', () => {
  it('passes a text that says only the facts, in either way of writing prices', () => {
    const text =
      'Trail Runner 2 costs 89.90 € (or 89,90 €), the Commuter Backpack 20 L is €69. Weight: 260. Capacity: 20. Usually bought again after about 30 days. 2 picks.';
    expect(checkFacts(text, all)).toEqual({ ok: true, problems: [] });
  });

  it('rejects a price no item has', () => {
    const r = checkFacts('Trail Runner 2, now only 79.90 €!', all);
    expect(r.ok).toBe(false);
    expect(r.problems.join()).toContain('79.90 €');
  });

  it('rejects a number that is not in the facts: a discount, a rating, a count', () => {
    for (const text of ['Save 15% on Trail Runner 2.', 'Rated 4.8 by our customers.', 'Join 10000 happy runners.']) {
      const r = checkFacts(text, all);
      expect(r.ok, text).toBe(false);
      expect(r.problems.join(), text).toMatch(/the number "(15|4\.8|10000)"/);
    }
  });

  it('rejects a product of the shop that the facts do not include, quoted or not', () => {
    expect(checkFacts('Pair it with the Merino Run Socks.', all).problems.join()).toContain('merino run socks');
    expect(checkFacts('Try “Cloud Racer 5”, our best seller.', all).problems.join()).toContain('Cloud Racer 5');
  });

  it('allows the numbers inside a title (20 L) without allowing them elsewhere', () => {
    expect(checkFacts('Commuter Backpack 20 L', all).ok).toBe(true);
    expect(checkFacts('Holds 21 litres.', all).ok).toBe(false);
  });

  it('does not cut a price out of another (9,99 € inside 459,99 €) nor a number out of a price', () => {
    const cheap = itemFacts({ id: 'a', title: 'Mug', price: 9.99, currency: 'EUR', available: true, updatedAt: 0, attributes: { capacity: 9 } }, 'es');
    const dear = itemFacts({ id: 'b', title: 'Sofa', price: 459.99, currency: 'EUR', available: true, updatedAt: 0 }, 'es');
    expect(checkFacts('Mug — 9,99 €. Sofa — 459,99 €. Capacidad: 9.', { items: [cheap, dear] }).problems).toEqual([]);
    expect(checkFacts('Sofa — 469,99 €.', { items: [cheap, dear] }).ok).toBe(false);
  });

  it('allows a product the facts name in a reason (because you bought X)', () => {
    expect(
      checkFacts('Because you viewed Trail Runner 2, Merino Run Socks', {
        items: [itemFacts(stored[2], 'en', ['Because you viewed Trail Runner 2'])],
        catalogTitles: all.catalogTitles,
      }).ok,
    ).toBe(true);
  });

  it("allows an amount the item's own description states, and no other", () => {
    const card = itemFacts(
      {
        id: 'g',
        title: 'Gift Card',
        price: 25,
        currency: 'USD',
        language: 'en',
        description: 'To send someone a $100 gift card, buy this item 4 times.',
        available: true,
        updatedAt: 0,
      },
      'en',
    );
    expect(checkFacts('Gift Card: $25. To send someone a $100 gift card, buy this item 4 times.', { items: [card] }).problems).toEqual([]);
    expect(checkFacts('Gift Card: $25, or $50 for two.', { items: [card] }).ok).toBe(false);
  });
});

describe('the style check (LLM texts)', () => {
  const es = { items: [itemFacts(stored.find((s) => s.id === 'bottle-1')!, 'es')], names: ['Ana'] };
  const tu = { lang: 'es', tone: 'informal', address: 'tu' } as const;
  const usted = { ...tu, address: 'usted' } as const;

  it('passes a Spanish text in the asked form of address, and names the other form when it is used', () => {
    expect(checkStyle('Hola Ana, hemos elegido esto para ti: Botella térmica Vento, que te va a encantar.', tu, es)).toEqual({ ok: true, problems: [] });
    expect(checkStyle('Buenos días, Ana. Hemos elegido esto para usted: Botella térmica Vento.', usted, es).ok).toBe(true);
    const r = checkStyle('Hola Ana, hemos elegido esto para usted. Échele un vistazo a la Botella térmica Vento.', tu, es);
    expect(r.ok).toBe(false);
    expect(r.problems.join()).toMatch(/addressed as "usted" \("usted"\), not as "tú"/);
    expect(checkStyle('Buenos días, Ana. Mira lo que tenemos para ti.', usted, es).problems.join()).toMatch(/addressed as "tú" \("ti"\)/);
  });

  it("judges the writer's own words only: a quoted title or description in the item's words is not the writer's address or language", () => {
    // The bottle's own sentence ("Ideal para correr") and an English-titled product stay out of the judgement.
    const mixed = { items: [...es.items, itemFacts(stored.find((s) => s.id === 'shoe-1')!, 'es')] };
    expect(checkStyle('Le presentamos Trail Runner 2 y la Botella térmica Vento. Ideal para correr. Pruébelo cuando quiera, por favor.', usted, mixed).ok).toBe(
      true,
    );
  });

  it('rejects a text in the other language once there are enough words to tell', () => {
    const r = checkStyle('Hi Ana, we picked these things for you and we think you will love them.', tu, es);
    expect(r.problems.join()).toContain('is in English, not Spanish');
    expect(checkStyle('Botella térmica Vento: great!', tu, es).ok).toBe(true); // too few words of its own to judge
    expect(
      checkStyle('Hola, hemos elegido estas cosas para que las veas cuando quieras.', { lang: 'en', tone: 'informal', address: 'tu' }, es).problems.join(),
    ).toContain('is in Spanish, not English');
  });

  it('rejects emoji and slang in technical and direct texts, and allows them in informal ones', () => {
    const en = { items: facts };
    const text = 'Hey, Trail Runner 2 is gonna be your favourite 🔥';
    expect(checkStyle(text, { lang: 'en', tone: 'informal', address: 'tu' }, en).ok).toBe(true);
    for (const tone of ['technical', 'direct'] as const) {
      const r = checkStyle(text, { lang: 'en', tone, address: 'tu' }, en);
      expect(r.problems, tone).toEqual([`an emoji ("🔥") in a ${tone} text`, `slang ("Hey") in a ${tone} text`]);
    }
  });
});
