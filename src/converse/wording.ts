/**
 * Sentences assembled from the templates' phrases: what the conversation asks for, what had to be
 * relaxed, why an item is shown. The words themselves live in templates.ts.
 */
import type { SoftSlot, Wanted } from './catalog-search.ts';
import { budgetText, joinList, label, useText } from './labels.ts';
import type { Lang } from '../text/text.ts';
import { formatPrice, phrase, type PhraseKey, type Style } from './templates.ts';

type Speaker = Pick<Style, 'lang'> & Partial<Pick<Style, 'address'>>;

export function cheaperText(price: number, lang: Lang, currency?: string): string {
  return phrase('cheaper_than', { lang }, { price: formatPrice(price, currency, lang) });
}

export function pricierText(price: number, lang: Lang, currency?: string): string {
  return phrase('pricier_than', { lang }, { price: formatPrice(price, currency, lang) });
}

export const colourText = (colour: string, lang: Lang) => phrase('in_colour', { lang }, { colour: label(colour, lang) });
export const brandText = (brand: string, lang: Lang) => phrase('by_brand', { lang }, { brand });

/** The brands and colours ruled out, as "no X and Y" / "sin X y Y"; '' when none. */
export function exclusionsText(w: Wanted, lang: Lang): string {
  const no = [...w.excluded.brands, ...w.excluded.colours.map((c) => label(c, lang))];
  return no.length ? phrase('without', { lang }, { list: joinList(no, lang) }) : '';
}

/** Everything the conversation asks for, as one list ("sofa, under 500 €, for the office"). */
export function constraintText(w: Wanted, lang: Lang, currency?: string): string {
  const parts: string[] = [];
  if (w.productType || w.category) parts.push(label((w.productType ?? w.category)!, lang));
  if (w.budget) parts.push(budgetText(w.budget, lang, currency));
  if (w.below !== undefined) parts.push(cheaperText(w.below, lang, currency));
  if (w.above !== undefined) parts.push(pricierText(w.above, lang, currency));
  if (w.use) parts.push(useText(w.use, lang));
  if (w.colour) parts.push(colourText(w.colour, lang));
  if (w.brand) parts.push(brandText(w.brand, lang));
  const no = exclusionsText(w, lang);
  if (no) parts.push(no);
  return parts.join(', ');
}

export function relaxedText(slots: SoftSlot[], lang: Lang): string {
  return joinList(
    slots.map((s) => phrase(`slot_${s}` as PhraseKey, { lang })),
    lang,
  );
}

const BECAUSE: Record<string, PhraseKey> = { purchase: 'because_purchase', add_to_cart: 'because_add_to_cart', like: 'because_like' };

/** "Because you bought X": what the person did that the recommender's reason points at. */
export function becauseText(b: { itemTitle: string; type: string }, style: Speaker): string {
  return phrase(BECAUSE[b.type] ?? 'because_view', style, { title: b.itemTitle });
}

export function ordinalOptions(shown: number, lang: Lang): string[] {
  return (['ordinal_1', 'ordinal_2', 'ordinal_3'] as const).slice(0, Math.min(3, shown)).map((k) => phrase(k, { lang }));
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function firstSentence(text: string): string {
  const m = /^(.{20,240}?[.!?])(\s|$)/.exec(text.trim());
  return m ? m[1] : text.trim().slice(0, 200);
}
