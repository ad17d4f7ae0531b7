import { describe, expect, it } from 'vitest';
import type { StoredItem } from '../../src/domain/schemas.ts';
import { UNSEEN_SUITES } from '../../src/eval/chat/dialogues-unseen.ts';
import { catalogItems } from '../../src/eval/chat/catalogs.ts';
import { runDialogues, summarize } from '../../src/eval/chat/run.ts';
import { openChatEvalServer } from '../../src/server/fresh.ts';
import { shapesOf } from '../../src/converse/grounding/induce.ts';
import { groundedItems, readMeasures, readProduct, requestedLanguage } from '../../src/converse/grounding/request.ts';

const item = (id: string, title: string, categories: string[], attributes: Record<string, unknown> = {}): StoredItem =>
  ({ id, title, categories, attributes, tags: [], available: true, price: 100 }) as unknown as StoredItem;

const IKEA_LIKE = [
  item('a', 'KNOPPARP 2-seat sofa', ['Sofas & armchairs'], { width: 117 }),
  item('b', 'KUNGSHAMN Cover for 1-seat module', ['Sofas & armchairs']),
  item('c', 'GRÄLVIKEN 3-seat sofa-bed', ['Beds']),
  item('d', 'NOCKEBY Legs for 3-seat sofa', ['Sofas & armchairs']),
  item('e', 'VIMLE 3-seat sofa', ['Sofas & armchairs']),
  item('f', 'LACK Coffee table, 90x55 cm', ['Tables & desks'], { width: 90 }),
  item('g', 'FLINTAN Office chair', ['Chairs']),
  item('h', 'Saco de dormir Kimba Pro', ['Deportes > Acampada > Sacos de dormir'], { peso_kg: 0.73 }),
];

describe('catalogue grounding (issue 10)', () => {
  it('induces heads, parts and seats from titles', () => {
    const s = shapesOf(IKEA_LIKE).shapes;
    expect(s.get('b')!.part).toBe(true);
    expect(s.get('d')!.part).toBe(true);
    expect(s.get('a')!.measures.seats).toBe(2);
    expect(s.get('e')!.measures.seats).toBe(3);
    expect(s.get('h')!.measures.weight).toBe(0.73);
  });

  it('finds the product asked for in either language, never its cover, legs or a sofa-bed', () => {
    const shapes = shapesOf(IKEA_LIKE);
    const ids = (text: string) =>
      groundedItems(IKEA_LIKE, shapes, readProduct(text, shapes)!)
        .map((it) => it.id)
        .sort();
    expect(ids('busco un sofá de tres plazas')).toEqual(['a', 'e']);
    expect(ids('a sofa for the living room')).toEqual(['a', 'e']);
    expect(ids('¿y tienes una mesa de centro?')).toEqual(['f']);
    expect(ids('silla de escritorio barata')).toEqual(['g']);
    expect(ids('I need a sleeping bag')).toEqual(['h']);
    expect(ids('cover for my sofa')).toEqual(['b']);
  });

  it('reads seats, dimensions and weight as bounds', () => {
    expect(readMeasures('something for 3 people').seats).toEqual({ min: 3, max: 3 });
    expect(readMeasures('un sofá de tres plazas').seats).toEqual({ min: 3, max: 3 });
    expect(readMeasures('at least 150 cm wide').width).toEqual({ min: 150 });
    expect(readMeasures('under 2 kg').weight).toEqual({ max: 2 });
    expect(readMeasures('que pese menos de 1,5 kg').weight).toEqual({ max: 1.5 });
  });

  it('hears explicit requests to switch language', () => {
    expect(requestedLanguage('por favor, respóndeme en español')).toBe('es');
    expect(requestedLanguage("hi, can you speak English? I'm looking for a jacket")).toBe('en');
    expect(requestedLanguage('quiero una chaqueta')).toBeNull();
  });

  it("passes at least 90 % of the frozen checks on the second generator's shop (no shared data needed)", async () => {
    const s = summarize(await runDialogues(openChatEvalServer, UNSEEN_SUITES.othershop, (d) => catalogItems(d.catalog)));
    expect(s.checks.all.pass / s.checks.all.total, JSON.stringify(s.failures.slice(0, 5))).toBeGreaterThanOrEqual(0.9);
    for (const name of ['right_product', 'no_accessory', 'within_constraints', 'no_needless_question', 'answers_attribute', 'says_dont_know', 'language'])
      expect(Object.keys(s.perCheck)).toContain(name);
  }, 60_000);
});
