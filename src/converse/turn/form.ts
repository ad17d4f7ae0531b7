/**
 * The form: which slot to ask for next (the product, then budget, use and taste where the catalogue
 * has them, at most two questions per request, none when three or fewer items fit), the question's
 * quick replies read from the catalogue, and whether a message answers the question pending.
 */
import type { StoredItem } from '../../domain/schemas.ts';
import { countFitting, facetsOf, itemsOfKind, type Wanted } from '../catalog-search.ts';
import { label } from '../labels.ts';
import type { Understanding } from '../nlu/index.ts';
import { fold, type Lang } from '../../text/text.ts';
import type { AskableSlot, ChatSession } from '../session.ts';
import { formatPrice, phrase, say, type TemplateKey } from '../templates.ts';
import { capitalise } from '../wording.ts';
import type { Deps, Outcome, Turn } from './types.ts';

/** "It doesn't matter" in answer to a question: the slot is skipped. */
export const SKIP =
  /\b(doesn'?t matter|does not matter|no matter|don'?t care|any(thing)?( is fine)?|whatever|no (budget|limit|preference)|me da igual|da igual|cualquier[ao]?|sin (l[ií]mite|preferencia)|lo que sea|no importa)\b/i;

/** Purposes that are occasions, not uses: they leave the use question open. */
const OCCASIONS = new Set(['gift']);

export function filled(u: Understanding, slot: AskableSlot): boolean {
  const sl = u.slots;
  switch (slot) {
    case 'product':
      return Boolean(sl.productType || sl.category);
    case 'budget':
      return Boolean(sl.budget);
    case 'use':
      return Boolean(sl.use);
    case 'colour':
      return Boolean(sl.colour || sl.brand || sl.excluded.colours.length);
  }
}

/** The next slot worth asking for: the product, then budget, use and taste where the catalogue has them. */
export function nextQuestion(s: ChatSession, items: readonly StoredItem[]): AskableSlot | null {
  if (s.asked.length >= 2) return null;
  const w = s.wanted;
  const open = (slot: AskableSlot) => !s.asked.includes(slot) && !s.skipped.includes(slot);
  if (!w.productType && !w.category && !w.ask) return open('product') ? 'product' : null;
  // A question earns its place only when its answer could change what is shown.
  if (countFitting(items, w, new Set(s.rejected)) <= 3) return null;
  if (!w.budget && open('budget') && questionOptions('budget', w, items, 'en')) return 'budget';
  // An occasion ("a present") says nothing about how the thing will be used: the question still helps.
  if ((!w.use || OCCASIONS.has(w.use)) && open('use') && questionOptions('use', w, items, 'en')) return 'use';
  // Ruling colours out is a taste already given.
  const colourSaid = Boolean(w.colour || w.brand || s.tasteSaid);
  if (!colourSaid && open('colour') && questionOptions('colour', w, items, 'en')) return 'colour';
  return null;
}

/** The question for one slot, in the turn's style, with its quick replies; null when there is nothing to offer. */
export async function ask(d: Deps, t: Turn, slot: AskableSlot): Promise<Outcome | null> {
  const s = t.session;
  const w = s.wanted;
  const catalog = await d.catalog(t.ws);
  const options = questionOptions(slot, w, catalog.items, t.style.lang);
  if (!options) return null;
  s.requested = slot;
  // A product grounded in the titles alone ("a table" where no item has a type) has no type or
  // category to name it by: the person's own words do, or the question would read "Nice,! What budget…".
  const named = w.productType ?? w.category;
  const product = named ? label(named, t.style.lang) : (w.ask?.label ?? '');
  return { reply: say(`ask_${slot}` as TemplateKey, t.style, { product }, t.seed), suggestions: options };
}

/** The quick replies for a question about `slot`, read from the catalogue; null when the catalogue gives nothing to choose from. */
function questionOptions(slot: AskableSlot, w: Wanted, items: readonly StoredItem[], lang: Lang): string[] | null {
  const skip = phrase('option_skip', { lang });
  if (slot === 'product') {
    const counts = new Map<string, number>();
    for (const it of items) if (it.available) for (const c of it.categories ?? []) counts.set(c, (counts.get(c) ?? 0) + 1);
    const top = [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, 4)
      .map(([c]) => capitalise(label(c, lang)));
    return top.length ? top : null;
  }
  const matching = itemsOfKind(items, w);
  if (slot === 'budget') {
    const prices = matching
      .map((i) => i.price)
      .filter((p): p is number => p !== undefined)
      .sort((a, b) => a - b);
    if (prices.length < 3) return null;
    const cur = matching.find((i) => i.currency)?.currency;
    const lo = roundPrice(prices[Math.floor(prices.length / 3)]);
    const hi = roundPrice(prices[Math.floor((2 * prices.length) / 3)]);
    if (hi <= lo) return null;
    const f = (v: number) => formatPrice(v, cur, lang);
    return [
      phrase('option_under', { lang }, { price: f(lo) }),
      phrase('option_between', { lang }, { lo: f(lo), hi: f(hi) }),
      phrase('option_over', { lang }, { price: f(hi) }),
      skip,
    ];
  }
  if (slot === 'use') {
    const uses = countFacet(matching, (it) => [...facetsOf(it).uses]);
    return uses.length >= 2 ? [...uses.slice(0, 3).map((x) => capitalise(label(x, lang))), skip] : null;
  }
  const ruledOut = new Set(w.excluded.colours.map((c) => fold(c)));
  const colours = countFacet(matching, (it) => [...facetsOf(it).colours]).filter((c) => !ruledOut.has(c));
  return colours.length >= 4 ? [...colours.slice(0, 3).map((x) => capitalise(label(x, lang))), skip] : null;
}

function countFacet(items: readonly StoredItem[], f: (it: StoredItem) => string[]): string[] {
  const c = new Map<string, number>();
  for (const it of items) for (const v of f(it)) c.set(v, (c.get(v) ?? 0) + 1);
  return [...c].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v]) => v);
}

function roundPrice(p: number): number {
  return p >= 100 ? Math.round(p / 10) * 10 : Math.max(5, Math.round(p / 5) * 5);
}
