/**
 * The recommender's reasons, said in the reader's language and form of address. The recommender
 * writes them in English ("Because you viewed X"); a reason this file cannot read is kept in English
 * and dropped in Spanish, so a Spanish email never carries an English sentence.
 */
import { becauseText } from '../converse/wording.ts';
import { label } from '../converse/labels.ts';
import { applyAddress, type Style } from '../converse/templates.ts';

const VERB_TYPE: Record<string, string> = {
  viewed: 'view',
  'looked at': 'view',
  'added to your cart': 'add_to_cart',
  bought: 'purchase',
  liked: 'like',
};

const ES_UNIT: Record<string, string> = { day: 'día', days: 'días', week: 'semana', weeks: 'semanas', month: 'mes', months: 'meses' };

/** The reason of an item still in the cart (the writer's own, worded like the recommender's). */
export const STILL_IN_CART = 'Still in your cart';

/** The reason of an item bought before that the recommender did not rank (a replenishment email). */
export const BOUGHT_BEFORE = 'You bought this before';

/** One reason in the reader's words, or null when it cannot be said in their language. */
export function sayReason(reason: string, style: Pick<Style, 'lang' | 'address'>): string | null {
  const r = reason.trim();
  const es = style.lang === 'es';
  const t = (en: string, esText: string) => (es ? applyAddress(esText, style.address) : en);
  let m = /^Because you (viewed|looked at|added to your cart|bought|liked) (.+)$/.exec(r);
  if (m) return becauseText({ itemTitle: m[2], type: VERB_TYPE[m[1]] }, style);
  m = /^Because you (rated|opened|engaged with) (.+)$/.exec(r);
  if (m) return t(r, `Porque [te interesó|le interesó] ${m[2]}`);
  m = /^Often chosen together with (.+)$/.exec(r);
  if (m) return t(r, `Se suele elegir junto con ${m[1]}`);
  m = /^Matches your interest in (.+)$/.exec(r);
  if (m) return t(`Matches your interest in ${label(m[1], 'en')}`, `Encaja con [tu|su] interés por ${label(m[1], 'es')}`);
  if (r === 'In your usual price range') return t(r, 'En [tu|su] rango de precio habitual');
  m = /^Trending in (.+)$/.exec(r);
  if (m) return t(`Trending in ${label(m[1], 'en')}`, `Tendencia en ${label(m[1], 'es')}`);
  if (r === 'Trending now') return t(r, 'Tendencia ahora');
  if (r === 'New in the catalogue') return t(r, 'Novedad en el catálogo');
  if (r === BOUGHT_BEFORE) return t(r, 'Ya lo [compraste|compró] antes');
  if (r === STILL_IN_CART) return t(r, 'Sigue en [tu|su] carrito');
  m = /^You bought this (\d+) days ago$/.exec(r);
  if (m) return t(r, `Lo [compraste|compró] hace ${m[1]} días`);
  if (r === 'Featured') return t(r, 'Destacado');
  if (r === 'Time to restock? You buy this regularly') return t(r, '¿Hora de reponer? Lo [compras|compra] con regularidad');
  m = /^You buy this every (\d+ )?(day|days|week|weeks|month|months)$/.exec(r);
  if (m) return t(r, `Lo [compras|compra] cada ${m[1] ?? ''}${ES_UNIT[m[2]]}`);
  m = /^Usually bought again after about (\d+) days$/.exec(r);
  if (m) return t(r, `Se suele volver a comprar a los ${m[1]} días, más o menos`);
  return es ? null : r;
}
