import { describe, expect, it } from 'vitest';
import { checkGrounding, normalise, priceMentions } from '../../src/llm/grounding.ts';

const catalog = {
  items: [
    { id: 'p-0007', title: 'Jabra Elite Active Earbuds - Black', price: 59.99, currency: 'EUR' },
    { id: 'p-0012', title: 'Auriculares deportivos Sony Float Run - Azul', price: 49.5, currency: 'EUR' },
    { id: 'p-0100', title: 'Portátil Lenovo Yoga Pro 9 - Gris', price: 1299, currency: 'EUR' },
    { id: 'p-0101', title: 'Zapatillas de trail Salomon Speedcross 6 - Negro', price: 140, currency: 'EUR' },
    { id: 'p-0200', title: 'Trail shoes Hoka Speedgoat', price: 40, currency: 'USD' },
    { id: 'p-0300', title: 'Yoga Mat', price: 25, currency: 'EUR' },
  ],
};
const byId = (id: string) => catalog.items.find((it) => it.id === id)!;
const shown = ['p-0007', 'p-0012', 'p-0100'].map(byId);

describe('checkGrounding: prices', () => {
  it.each([
    'The **Jabra Elite Active Earbuds** cost €59.99 and the Sony ones €49.50.',
    'The Jabra Elite costs 59.99 EUR; the Sony Float Run is 49.5 euros.',
    'Los “Auriculares deportivos Sony Float Run” cuestan 49,50 € y los Jabra 59,99 €.',
    'Los Jabra cuestan 59,99 euros, y el portátil 1.299 €.',
    'El portátil cuesta 1.299,00 € y los Sony 49,50\u00A0€.',
    'The laptop is €1,299.00, the earbuds EUR 59.99.',
    'Intl formatting: 1299,00\u00A0€ and 59,99\u00A0€.',
  ])('accepts shown prices: %s', (reply) => {
    expect(checkGrounding(reply, catalog, shown)).toEqual({ ok: true, problems: [] });
  });

  it.each([
    ['The Jabra Elite costs €54.99.', '€54.99'],
    ['Los Jabra cuestan 54,99 €.', '54,99 €'],
    ['Los Sony cuestan 49 euros.', '49 euros'],
    ['A laptop for 999 €', '999 €'],
    ['Only $45 today!', '$45'],
    ['Solo 30 dólares.', '30 dólares'],
  ])('rejects an invented price (%#)', (reply, text) => {
    const result = checkGrounding(reply, catalog, shown);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([`the price "${text}" is not the price of any item shown`]);
  });

  it('rejects the price of a catalog item that was not shown this turn', () => {
    expect(checkGrounding('Las Salomon Speedcross cuestan 140 €.', catalog, shown).ok).toBe(false);
    expect(checkGrounding('Las Salomon Speedcross cuestan 140 €.', catalog, [byId('p-0101')]).ok).toBe(true);
  });

  it('checks the currency when the item has one', () => {
    const hoka = [byId('p-0200')];
    expect(checkGrounding('The Hoka Speedgoat is $40.', catalog, hoka).ok).toBe(true);
    expect(checkGrounding('Las Hoka cuestan 40 dólares.', catalog, hoka).ok).toBe(true);
    expect(checkGrounding('The Hoka Speedgoat is 40 €.', catalog, hoka).ok).toBe(false);
    expect(checkGrounding('The Jabra is $59.99.', catalog, shown).ok).toBe(false);
  });

  it('lets the reply repeat allowed amounts such as the user budget', () => {
    const reply = 'Under 60 €, I found the Jabra Elite at 59,99 €.';
    expect(checkGrounding(reply, catalog, shown).ok).toBe(false);
    expect(checkGrounding(reply, catalog, shown, { allowedAmounts: [60] }).ok).toBe(true);
  });

  it('ignores numbers that are not prices', () => {
    const reply = 'The Lenovo Yoga Pro 9 has a 16" screen, 32 GB of RAM, 3 colours and 20% off; battery lasts 10 hours.';
    expect(checkGrounding(reply, catalog, shown)).toEqual({ ok: true, problems: [] });
  });

  it('reads English and Spanish number formats', () => {
    const read = (text: string) => priceMentions(text).map((m) => m.values);
    expect(read('€59.99 · 59,99 € · $1,299.00 · 1.299,00 € · 40 euros · 40 dólares · US$ 12 · 7 libras')).toEqual([
      [59.99],
      [59.99],
      [1299],
      [1299],
      [40],
      [40],
      [12],
      [7],
    ]);
    // Locale formatting groups thousands with no-break spaces, style guides with plain ones; a plain
    // space may also separate a count from a price, so that reading is kept too.
    expect(read('1\u00A0299 € · 2\u202F000 €')).toEqual([[1299], [2000]]);
    expect(read('12 990 €')).toEqual([[12990, 990]]);
    expect(read('de 2 a 3 €')).toEqual([[3]]);
    // One separator before three digits is ambiguous: both readings are tried.
    expect(read('1.299 €')).toEqual([[1299, 1.299]]);
    expect(read('1,299 $')).toEqual([[1299, 1.299]]);
  });

  it('compares to the cent: a rounded price is a different price', () => {
    expect(checkGrounding('The Jabra Elite is 60 €.', catalog, shown).ok).toBe(false);
    expect(checkGrounding('Three for €179.97', catalog, [{ id: 'x', title: 'x', price: 59.99 * 3 }]).ok).toBe(true);
  });
});

describe('checkGrounding: names and ids', () => {
  it('accepts quoted and bolded names that match catalog titles, whatever the case, accents or part quoted', () => {
    const reply = [
      '1. **Jabra Elite Active Earbuds** – 59,99 €',
      '2. «auriculares deportivos sony float run» (49,50 €)',
      '3. “Portatil Lenovo Yoga Pro 9 - Gris” a 1.299 €',
      'O el "Lenovo Yoga Pro 9".',
      '**Jabra Elite Active Earbuds - Black, 59.99 €**',
    ].join('\n');
    expect(checkGrounding(reply, catalog, shown)).toEqual({ ok: true, problems: [] });
  });

  it('rejects an invented quoted or bolded product name', () => {
    const result = checkGrounding('Try the **Sony UltraRun X9** or “Auriculares Bose Sport Pro”.', catalog, shown);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      'the product name "Auriculares Bose Sport Pro" is not in the catalog',
      'the product name "Sony UltraRun X9" is not in the catalog',
    ]);
  });

  it('matches whole words, so a short title is not found inside a longer word', () => {
    expect(checkGrounding('Our **Ultimate Mattress** is great.', catalog, shown).ok).toBe(false);
    expect(checkGrounding('A **yoga mat** too.', catalog, shown).ok).toBe(true);
  });

  it('does not take labels, bolded prices or inch marks for product names', () => {
    const reply = '**Precio:** 59,99 €\n**Pros**: light.\n**Mi elección**: the first.\n**49,50 €**\nA 15.6" screen and 17" case.';
    expect(checkGrounding(reply, catalog, shown)).toEqual({ ok: true, problems: [] });
  });

  it('checks names written as list headings ("**Name**: …")', () => {
    expect(checkGrounding('1. **Jabra Elite Active Earbuds**: great for running.', catalog, shown).ok).toBe(true);
    expect(checkGrounding('1. **Sony UltraRun X9**: great for running.', catalog, shown).problems).toEqual([
      'the product name "Sony UltraRun X9" is not in the catalog',
    ]);
  });

  it('lets the reply quote allowed phrases, such as the user’s own words', () => {
    const reply = 'You asked for something “para correr por montaña”.';
    expect(checkGrounding(reply, catalog, shown).ok).toBe(false);
    expect(checkGrounding(reply, catalog, shown, { allowedNames: ['para correr por montaña'] }).ok).toBe(true);
  });

  it('checks item ids the reply marks as ids', () => {
    expect(checkGrounding('Te recomiendo la ref. p-0007 y el `p-0012`.', catalog, shown).ok).toBe(true);
    const bad = checkGrounding('See item id: p-9999, or #p-0042.', catalog, shown);
    expect(bad.problems).toEqual(['the item id "p-9999" is not in the catalog', 'the item id "p-0042" is not in the catalog']);
    // Model numbers inside names are not ids.
    expect(checkGrounding('The Yoga Pro 9 or a WH-1000XM5?', catalog, shown).ok).toBe(true);
  });

  it('takes a custom id pattern', () => {
    const idPattern = /\bp-\d{4}\b/g;
    expect(checkGrounding('p-0007 and p-0100', catalog, shown, { idPattern }).ok).toBe(true);
    expect(checkGrounding('p-0007 and p-0404', catalog, shown, { idPattern }).problems).toEqual(['the item id "p-0404" is not in the catalog']);
  });

  it('normalises case, accents and punctuation', () => {
    expect(normalise('  Portátil LENOVO – Yoga, Pro 9!  ')).toBe('portatil lenovo yoga pro 9');
  });
});
