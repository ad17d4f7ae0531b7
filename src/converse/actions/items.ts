/** Actions on the items shown: tell more about one, compare two, put one in the cart. */
import { facetsOf } from '../catalog-search.ts';
import { shapesOf } from '../grounding/induce.ts';
import { label, useText } from '../labels.ts';
import type { ChatSession, ShownItem } from '../session.ts';
import { formatPrice, phrase, say } from '../templates.ts';
import type { Deps, Outcome, Turn } from '../turn/types.ts';
import { firstSentence, ordinalOptions } from '../wording.ts';
import { attributeAnswer, attributeAsked } from './attribute.ts';

/** The items the message points at: ordinals, else the item in focus, else (when `all`) what is shown. */
function targets(s: ChatSession, ordinals: number[] | undefined, fallbackCount: number): ShownItem[] {
  if (ordinals?.length) return ordinals.map((o) => s.shown[o > 0 ? o - 1 : s.shown.length + o]).filter((x): x is ShownItem => Boolean(x));
  if (s.focus) {
    const f = s.shown.find((i) => i.id === s.focus);
    if (f && fallbackCount === 1) return [f];
  }
  if (s.shown.length === 1) return [s.shown[0]];
  return fallbackCount > 1 ? s.shown.slice(0, fallbackCount) : [];
}

export async function compare(d: Deps, t: Turn): Promise<Outcome> {
  const s = t.session;
  if (s.shown.length === 0) return { reply: say('nothing_shown', t.style, {}, t.seed), quick: ['recommend'] };
  if (s.shown.length === 1) {
    const only = s.shown[0];
    return {
      reply: say('compare_one', t.style, { title: only.title }, t.seed),
      items: [{ ...only, reasons: [phrase('reason_only_one', t.style)] }],
      quick: ['recommend', 'add_to_cart'],
    };
  }
  const picked = targets(s, t.u.slots.ordinals, 2);
  const chosen = picked.length >= 2 ? picked : s.shown.slice(0, 2);
  const catalog = await d.catalog(t.ws);
  const lang = t.style.lang;
  const lines = chosen.map((i) => {
    const it = catalog.get(i.id);
    const f = it ? facetsOf(it) : null;
    const facts = [
      formatPrice(i.price ?? 0, i.currency, lang),
      f?.brand,
      f?.colours.size ? [...f.colours].map((c) => label(c, lang)).join('/') : null,
      f?.uses.size ? [...f.uses].map((x) => label(x, lang)).join(', ') : null,
    ]
      .filter(Boolean)
      .join(' · ');
    return `• ${i.title}: ${facts}`;
  });
  const byPrice = [...chosen].filter((i) => i.price !== undefined).sort((a, b) => a.price! - b.price!);
  let verdict = '';
  if (byPrice.length >= 2 && byPrice[0].price! < byPrice[byPrice.length - 1].price!) {
    const diff = formatPrice(byPrice[byPrice.length - 1].price! - byPrice[0].price!, byPrice[0].currency, lang);
    verdict = `\n${phrase('compare_cheaper', t.style, { title: byPrice[0].title, diff })}`;
  }
  s.focus = null;
  const items = chosen.map((i) => ({ ...i, reasons: [phrase('reason_compared', t.style)] }));
  return { reply: `${say('compare', t.style, {}, t.seed)}\n${lines.join('\n')}${verdict}`, items, quick: ['add_to_cart', 'refine'] };
}

export async function detail(d: Deps, t: Turn): Promise<Outcome> {
  const s = t.session;
  if (s.shown.length === 0) return { reply: say('nothing_shown', t.style, {}, t.seed), quick: ['recommend'] };
  const [target] = targets(s, t.u.slots.ordinals, 1);
  if (!target) return { reply: say('which_item', t.style, {}, t.seed), suggestions: ordinalOptions(s.shown.length, t.style.lang) };
  s.focus = target.id;
  const catalog = await d.catalog(t.ws);
  const it = catalog.get(target.id);
  const lang = t.style.lang;
  const asked = attributeAsked(t.u.text);
  const items = [{ ...target, reasons: [phrase('reason_asked_about', t.style)] }];
  if (it && asked) {
    const reply = attributeAnswer(it, asked, shapesOf(catalog.items), t.style, t.seed);
    return { reply, items, quick: ['add_to_cart', 'compare', 'refine'] };
  }
  const f = it ? facetsOf(it) : null;
  const facts: string[] = [];
  if (f?.brand) facts.push(phrase('fact_brand', t.style, { brand: f.brand }));
  if (f?.colours.size) facts.push(phrase('fact_colour', t.style, { colours: [...f.colours].map((c) => label(c, lang)).join(', ') }));
  if (f?.uses.size) facts.push(phrase('fact_use', t.style, { uses: [...f.uses].map((x) => useText(x, lang)).join(', ') }));
  if (it?.description && t.style.tone !== 'direct' && (it.language ?? lang) === lang) facts.push(firstSentence(it.description));
  if (it && !it.available) facts.push(phrase('fact_out_of_stock', t.style));
  const reply = say(
    target.price === undefined ? 'detail_no_price' : 'detail',
    t.style,
    { title: target.title, price: target.price === undefined ? '' : formatPrice(target.price, target.currency, lang), facts: facts.join(' ') },
    t.seed,
  );
  return { reply, items, quick: ['add_to_cart', 'compare', 'refine'] };
}

export async function addToCart(d: Deps, t: Turn): Promise<Outcome> {
  const s = t.session;
  if (s.shown.length === 0) return { reply: say('nothing_shown', t.style, {}, t.seed), quick: ['recommend'] };
  const [target] = targets(s, t.u.slots.ordinals, 1);
  if (!target) return { reply: say('which_item', t.style, {}, t.seed), suggestions: ordinalOptions(s.shown.length, t.style.lang) };
  await d.recordEvents(t.ws, [{ type: 'add_to_cart', userId: s.userId, itemId: target.id, channel: 'chat', properties: { sessionId: s.id } }]);
  s.focus = target.id;
  return {
    reply: say('added_to_cart', t.style, { title: target.title }, t.seed),
    items: [{ ...target, reasons: [phrase('reason_added', t.style)] }],
    quick: ['recommend', 'shipping'],
  };
}
