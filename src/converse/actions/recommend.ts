/**
 * Recommending: ask what is missing (see turn/form.ts), then show three items that satisfy every hard
 * constraint, ranked for this person, each with the reason in the person's terms.
 */
import type { StoredItem } from '../../domain/schemas.ts';
import { facetsOf, searchCatalog } from '../catalog-search.ts';
import { budgetText, label, useText } from '../labels.ts';
import { fold } from '../../text/text.ts';
import { formatPrice, phrase, say } from '../templates.ts';
import { ask, nextQuestion } from '../turn/form.ts';
import type { Ranking } from '../ports.ts';
import type { ChatItem, Deps, Outcome, Turn } from '../turn/types.ts';
import { becauseText, brandText, cheaperText, colourText, constraintText, exclusionsText, pricierText, relaxedText } from '../wording.ts';

/** Asks for what is missing (at most two questions per request), then recommends. */
export async function recommendFlow(d: Deps, t: Turn): Promise<Outcome> {
  const s = t.session;
  const catalog = await d.catalog(t.ws);
  const next = nextQuestion(s, catalog.items);
  if (next) {
    const q = await ask(d, t, next);
    if (q) {
      s.asked.push(next);
      return q;
    }
  }
  s.requested = null;
  return showItems(d, t);
}

/** Three items that satisfy every hard constraint, ranked for this person, each with its reason. */
export async function showItems(d: Deps, t: Turn): Promise<Outcome> {
  const s = t.session;
  const catalog = await d.catalog(t.ws);
  const r = await ranking(d, t);
  const exclude = new Set([...s.rejected, ...r.bought]);
  const found = searchCatalog(catalog.items, s.wanted, (id) => r.score(id), exclude, 3);
  const constraints = constraintText(s.wanted, t.style.lang, catalog.items[0]?.currency);
  if (found.items.length === 0) {
    // What was shown before stays on screen, so "compare the first two" still works. Nothing under the
    // cheapest shown (or over the dearest) is an answer, not a reason to ask again.
    const edge = s.wanted.below ?? s.wanted.above;
    if (edge !== undefined && s.shown.length) {
      const product =
        s.wanted.ask?.label ?? (s.wanted.productType || s.wanted.category ? label((s.wanted.productType ?? s.wanted.category)!, t.style.lang) : '');
      const key = s.wanted.below !== undefined ? 'no_cheaper' : 'no_pricier';
      return {
        reply: say(key, t.style, { price: formatPrice(edge, catalog.items[0]?.currency, t.style.lang), constraints: product ? ` (${product})` : '' }, t.seed),
        quick: ['compare', 'add_to_cart', 'recommend'],
      };
    }
    return { reply: say('no_match', t.style, { constraints: constraints ? ` (${constraints})` : '' }, t.seed), quick: ['refine', 'recommend'] };
  }
  // The same kind of thing: the type, or the most specific category (not the department they share).
  const kindOf = (it: StoredItem) => fold(String((it.attributes as Record<string, unknown> | undefined)?.productType ?? it.categories?.at(-1) ?? ''));
  const related = (it: StoredItem, sourceId: string) => {
    const src = catalog.get(sourceId);
    return Boolean(src && kindOf(src) && kindOf(src) === kindOf(it));
  };
  const items = found.items.map((it) => {
    const b = r.because(it.id);
    // Cite what the person did only when it is about the same kind of thing.
    return chatItem(t, it, b && related(it, b.itemId) ? b : null);
  });
  s.shown = items.map(({ id, title, price, currency }) => ({ id, title, price, currency }));
  s.focus = items.length === 1 ? items[0].id : null;
  s.asked = [];
  const intro = found.relaxed.length
    ? say('recommend_relaxed', t.style, { dropped: relaxedText(found.relaxed, t.style.lang) }, t.seed)
    : say('recommend', t.style, { count: items.length, constraints: constraints ? ` (${constraints})` : '' }, t.seed);
  return {
    reply: `${intro}\n${items.map((it, k) => `${k + 1}. ${it.title}${it.price === undefined ? '' : ` — ${formatPrice(it.price, it.currency, t.style.lang)}`}`).join('\n')}`,
    items,
    quick: ['refine', 'compare', 'add_to_cart', 'item_question'],
  };
}

/**
 * The recommender's order for this person. A shop whose recommender cannot be trained yet (no
 * interactions but chat turns) still gets an answer: the catalogue's own order, nothing personal.
 */
async function ranking(d: Deps, t: Turn): Promise<Ranking> {
  try {
    return await d.rankFor(t.ws, t.session.userId, t.personalize);
  } catch {
    const events = await d.store.eventsOf(t.ws, t.session.userId, 500);
    return { bought: events.filter((e) => e.type === 'purchase' && e.itemId).map((e) => e.itemId!), score: () => 0, because: () => null };
  }
}

/** One line of reason per item, citing what the person said or did. */
function chatItem(t: Turn, it: StoredItem, because: { itemTitle: string; type: string } | null): ChatItem {
  const lang = t.style.lang;
  const w = t.session.wanted;
  // The product in the person's own words leads, so the reason quotes them ("silla de escritorio, económico").
  const said: string[] = w.ask && !w.ask.purpose ? [w.ask.label] : [];
  if (w.budget) said.push(budgetText(w.budget, lang, it.currency));
  if (w.below !== undefined) said.push(cheaperText(w.below, lang, it.currency));
  if (w.above !== undefined) said.push(pricierText(w.above, lang, it.currency));
  if (w.use && facetsOf(it).uses.has(w.use.toLowerCase())) said.push(useText(w.use, lang));
  if (w.colour && facetsOf(it).colours.has(w.colour.toLowerCase())) said.push(colourText(w.colour, lang));
  if (w.brand) said.push(brandText(w.brand, lang));
  const no = exclusionsText(w, lang);
  if (no) said.push(no);
  // Nothing else said: the kind of thing asked for is what the person said.
  if (!said.length && !because && (w.productType || w.category)) said.push(label((w.productType ?? w.category)!, lang));
  else if (!said.length && !because && w.ask) said.push(w.ask.label);
  const parts: string[] = [];
  if (said.length) parts.push(phrase('reason_asked', t.style, { said: said.join(', ') }));
  if (because) parts.push(becauseText(because, t.style));
  if (!parts.length) parts.push(phrase('reason_popular', t.style));
  const out: ChatItem = { id: it.id, title: it.title, reasons: [parts.join('. ')] };
  if (it.price !== undefined) out.price = it.price;
  if (it.currency !== undefined) out.currency = it.currency;
  return out;
}
