/**
 * Questions about one item's attributes ("how wide is the first one?", "¿cuánto pesa?"): answered
 * from what the catalogue records, or with a plain "I don't know" — never a made-up figure.
 */
import type { StoredItem } from '../../domain/schemas.ts';
import type { CatalogShapes, Measure } from '../grounding/induce.ts';
import { tokenize } from '../../text/text.ts';
import { formatPrice, say, type Style } from '../templates.ts';

export type AskedAttribute = Exclude<Measure, 'seats'> | 'seats' | 'price';

const ASKED: Array<[AskedAttribute, RegExp]> = [
  ['weight', /\b(weigh|weighs|weight|heavy|pesa|pesan|peso|pesado)\b/],
  ['width', /\b(wide|width|ancho|anchura)\b/],
  ['height', /\b(tall|high|height|alto|altura)\b/],
  ['depth', /\b(deep|depth|fondo|profundidad)\b/],
  ['seats', /\b(how many (seats|people)|cuantas plazas|cuantas personas)\b/],
  ['price', /\b(how much (is|does|do|are)|price|cost|costs|cuanto (cuesta|vale|cuestan|valen)|precio)\b/],
];

export function attributeAsked(text: string): AskedAttribute | null {
  const f = tokenize(text).join(' ');
  return ASKED.find(([, re]) => re.test(f))?.[0] ?? null;
}

const NAMES: Record<AskedAttribute, [string, string]> = {
  width: ['width', 'anchura'],
  height: ['height', 'altura'],
  depth: ['depth', 'profundidad'],
  weight: ['weight', 'peso'],
  seats: ['seats', 'plazas'],
  price: ['price', 'precio'],
};
const UNITS: Partial<Record<AskedAttribute, string>> = { width: 'cm', height: 'cm', depth: 'cm', weight: 'kg' };

export function attributeAnswer(it: StoredItem, asked: AskedAttribute, shapes: CatalogShapes, style: Style, seed: string): string {
  const lang = style.lang;
  const name = NAMES[asked][lang === 'es' ? 1 : 0];
  let value: string | undefined;
  if (asked === 'price') value = it.price !== undefined ? formatPrice(it.price, it.currency, lang) : undefined;
  else {
    const v = shapes.shapes.get(it.id)?.measures[asked];
    if (v !== undefined) {
      const n = Math.round(v * 100) / 100;
      value = `${lang === 'es' ? String(n).replace('.', ',') : String(n)}${UNITS[asked] ? ` ${UNITS[asked]}` : ''}`;
    }
  }
  if (value === undefined) return say('attribute_unknown', style, { attribute: name, title: it.title }, seed);
  return say('attribute_value', style, { attribute: name, value, title: it.title }, seed);
}
