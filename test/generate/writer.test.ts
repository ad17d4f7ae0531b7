import { describe, expect, it } from 'vitest';
import { checkFacts } from '../../src/generate/checker.ts';
import { itemFacts, readerOf, type Reader } from '../../src/generate/facts.ts';
import type { PersonView } from '../../src/generate/ports.ts';
import { BrandVoice } from '../../src/generate/schemas.ts';
import { writeDescription, writeEmail } from '../../src/generate/writer.ts';
import { detectLanguage } from '../../src/text/language.ts';
import { SHOP } from './fixtures.ts';

const voice = BrandVoice.parse({ brand: 'Vento Shop' });
const stored = SHOP.map((it) => ({ ...it, available: true, updatedAt: 0 }));
const item = (id: string) => stored.find((s) => s.id === id)!;

function person(traits: Record<string, unknown>, interests: string[], priceBand: PersonView['features']['priceBand'] = 'mid', days = 20): PersonView {
  return {
    traits,
    affinities: { categories: interests.map((name, k) => ({ name, score: 1 - k / 10 })), tags: [] },
    features: { daysSinceLastSeen: days, purchases: 1, lastPurchase: null, priceBand, cart: [] },
    language: null,
    bought: [],
  };
}

const runner = (extra: Record<string, unknown> = {}) => readerOf(person({ name: 'Ana', language: 'es', ...extra }, ['running', 'trail']), voice, true);
const commuter = () => readerOf(person({ name: 'Ben', language: 'en', tone: 'technical' }, ['commuting'], 'budget'), voice, true);
const emailFor = (r: Reader, ids: string[], goal: 'win-back' | 'new-arrivals' = 'win-back') =>
  writeEmail({
    goal,
    reader: r,
    voice,
    items: ids.map((id) => itemFacts(item(id), r.lang, ['Because you viewed Trail Runner 2', 'Matches your interest in running'])),
  });

describe('the embedded writer', () => {
  it('writes the email in the reader language: Spanish for one, English for the other, each whole', () => {
    const es = emailFor(runner(), ['shoe-1', 'sock-1']);
    const en = emailFor(commuter(), ['shoe-2', 'bag-1']);
    expect(detectLanguage(es.text.replace(/Trail Runner 2|Merino Run Socks|Vento Shop/g, '')).language).toBe('es');
    expect(detectLanguage(en.text).language).toBe('en');
    expect(es.text).toContain('Porque viste Trail Runner 2');
    expect(es.text).toContain('89,90 €');
    expect(en.text).toContain('89.90 €'.replace('89.90', '119'));
    expect(es.html).toContain('<html lang="es">');
    expect(es.html).toContain('<li><strong>Trail Runner 2 — 89,90 €</strong>');
  });

  it('speaks de usted when the person is addressed so, and de tú otherwise', () => {
    const tu = emailFor(runner(), ['shoe-1']);
    const usted = emailFor(runner({ address: 'usted' }), ['shoe-1']);
    expect(usted.text).toMatch(/\b(su|usted|Recibe este correo)\b/);
    expect(usted.text).not.toMatch(/\b(tu|tus|te|puedes|recibes)\b/i);
    expect(tu.text).toMatch(/\b(tu|te|ti|Recibes)\b/);
  });

  it('changes register with the tone: the technical email names brands and gives two reasons, the direct one is short', () => {
    const base = person({ language: 'en' }, ['running']);
    const technical = writeEmail({
      goal: 'win-back',
      reader: readerOf({ ...base, traits: { tone: 'technical' } }, voice, true),
      voice,
      items: [itemFacts(item('sock-1'), 'en', ['Because you viewed Trail Runner 2', 'In your usual price range'])],
    });
    const direct = writeEmail({
      goal: 'win-back',
      reader: readerOf({ ...base, traits: { tone: 'direct' } }, voice, true),
      voice,
      items: [itemFacts(item('sock-1'), 'en', ['Because you viewed Trail Runner 2', 'In your usual price range'])],
    });
    expect(technical.text).toContain('Because you viewed Trail Runner 2. In your usual price range.');
    expect(direct.text).not.toContain('In your usual price range');
    expect(technical.text).toContain('(Vento)');
    expect(direct.text.length).toBeLessThan(technical.text.length);
  });

  it('gives the same text for the same facts and a different one when the facts differ', () => {
    const a = emailFor(runner(), ['shoe-1', 'sock-1']);
    const b = emailFor(runner(), ['shoe-1', 'sock-1']);
    const c = emailFor(readerOf(person({ name: 'Eva', language: 'es' }, ['running', 'trail']), voice, true), ['shoe-1', 'sock-1']);
    expect(b.text).toBe(a.text);
    expect(c.text).not.toBe(a.text);
  });

  it('says only what the facts hold: every embedded email and description passes the checker', () => {
    for (const r of [runner(), runner({ address: 'usted' }), commuter(), readerOf(null, voice, false)]) {
      for (const goal of ['win-back', 'new-arrivals'] as const) {
        const facts = ['shoe-1', 'bag-1', 'bottle-1'].map((id) => itemFacts(item(id), r.lang, ['Usually bought again after about 30 days']));
        const e = writeEmail({ goal, reader: r, voice, items: facts });
        expect(checkFacts(`${e.subject}\n${e.text}`, { items: facts, numbers: [facts.length, r.daysSinceLastSeen ?? 0] }).problems).toEqual([]);
      }
      for (const s of stored) {
        const f = itemFacts(s, r.lang);
        expect(checkFacts(writeDescription(f, r).text, { items: [f] }).problems).toEqual([]);
      }
    }
  });

  it('describes the same item differently for a runner and a price-minded commuter', () => {
    const shoe = (r: Reader) => writeDescription(itemFacts(item('shoe-1'), r.lang), r);
    const forRunner = shoe(readerOf(person({ language: 'en' }, ['trail', 'running'], 'premium'), voice, true));
    const forCommuter = shoe(readerOf(person({ language: 'en' }, ['commuting', 'durability'], 'budget'), voice, true));
    expect(forRunner.order[0]).not.toBe('price');
    expect(['attributes.use', 'description']).toContain(forRunner.order[0]);
    expect(forCommuter.order[0]).toBe('price');
    expect(forCommuter.order.slice(0, 3)).toContain('attributes.durability');
    expect(forRunner.text).not.toBe(forCommuter.text);
  });

  it('keeps the shop order without personalization and quotes the description only in its own language', () => {
    const generic = writeDescription(itemFacts(item('shoe-1'), 'en'), readerOf(null, voice, false));
    expect(generic.order[0]).toBe('price');
    const es = itemFacts(item('shoe-1'), 'es');
    expect(es.sentences).toEqual([]);
    expect(itemFacts(item('bottle-1'), 'es').sentences[0]).toMatch(/^Botella de acero/);
  });
});
