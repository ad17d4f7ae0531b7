import { describe, expect, it } from 'vitest';
import { productType } from '../../src/simulate/catalog.ts';
import { CHAT_MODEL, CHAT_TURNS, chatMessage, chatSession, chatWish } from '../../src/simulate/chat.ts';
import { createPopulation } from '../../src/simulate/population.ts';
import { createRandom } from '../../src/simulate/random.ts';
import { shopOf } from '../../src/simulate/run.ts';
import { PALETTES } from '../../src/simulate/vocabulary.ts';

const { catalog, byType } = shopOf(4, 200);
const sold = new Set(byType.keys());
const shoppers = createPopulation({ seed: 4, count: 300, catalog });
const itemById = new Map(catalog.map((it) => [it.id, it]));

describe('a shopper talking to the assistant', () => {
  it('asks for one of their favourite product types, with their budget, a use and a colour of their own when they say them', () => {
    const wishes = shoppers.map((s) => ({ s, w: chatWish(createRandom(4, `wish:${s.id}`), s, sold)! }));
    for (const { s, w } of wishes) {
      const t = s.shopper.taste;
      expect(t.productTypes.map((p) => p.value)).toContain(w.productType);
      expect(sold.has(w.productType)).toBe(true);
      if (w.budget !== undefined) expect(w.budget).toBe(t.budgets[w.productType] ?? t.budget);
      if (w.use) {
        expect(t.uses).toContain(w.use);
        expect(productType(w.productType).uses).toContain(w.use);
      }
      if (w.colour) {
        expect(s.colours).toContain(w.colour);
        expect(PALETTES[productType(w.productType).category]).toContain(w.colour);
      }
    }
    // The budget is said with chance CHAT_MODEL.sayBudget (0.6): 300 draws, within about four standard deviations.
    const said = wishes.filter(({ w }) => w.budget !== undefined).length / wishes.length;
    expect(Math.abs(said - CHAT_MODEL.sayBudget)).toBeLessThan(0.12);
    expect(wishes.some(({ w }) => w.use)).toBe(true);
    expect(wishes.some(({ w }) => w.colour)).toBe(true);
    expect(wishes.some(({ w }) => !w.use && !w.colour && w.budget === undefined)).toBe(true);
  });

  it('writes the wish in their own language', () => {
    expect(chatMessage({ productType: 'running-shoes', budget: 95, use: 'trail', colour: 'blue' }, 'en')).toBe(
      "I'm looking for running shoes for trail running under 95 € in blue",
    );
    expect(chatMessage({ productType: 'headphones', budget: 140, use: 'gym' }, 'es')).toBe('Busco auriculares para el gimnasio por menos de 140 €');
    expect(chatMessage({ productType: 'headphones' }, 'en')).toBe("I'm looking for headphones");
    expect(chatMessage({ productType: 'headphones', colour: 'black' }, 'es')).toBe('Busco auriculares en negro');
  });

  it('answers each question with "doesn\'t matter" in the same session until items come, and gives up after a few messages', async () => {
    const s = shoppers.find((x) => x.traits.language === 'es')!;
    const wish = { productType: 'headphones' };
    const sent: Array<{ message: string; sessionId?: string }> = [];
    const ids = catalog.slice(0, 3).map((it) => it.id);
    const asksTwice = async (b: { message: string; sessionId?: string }) => {
      sent.push(b);
      return { sessionId: 'abc', items: sent.length < 3 ? [] : [...ids, 'not-in-the-catalogue'].map((id) => ({ id })) };
    };
    const o = await chatSession(asksTwice, s, wish, itemById);
    expect(o.turns).toBe(3);
    expect(o.items.map((it) => it.id)).toEqual(ids);
    expect(sent.map((b) => b.message)).toEqual(['Busco auriculares', 'me da igual', 'me da igual']);
    expect(sent.map((b) => b.sessionId)).toEqual([undefined, 'abc', 'abc']);

    let n = 0;
    const never = async () => ({ sessionId: `s${++n}`, items: [] });
    const none = await chatSession(never, s, wish, itemById);
    expect(none).toEqual({ items: [], turns: CHAT_TURNS, wish });
    expect(n).toBe(CHAT_TURNS);
  });
});
