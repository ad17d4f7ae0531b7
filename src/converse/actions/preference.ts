/** A taste stated ("not black", "I like Lúa"): noted for the request and remembered; the list reshaped if one is shown. */
import { mergeWanted } from '../catalog-search.ts';
import { joinList, label } from '../labels.ts';
import { phrase, say } from '../templates.ts';
import { rememberTaste } from '../turn/memory.ts';
import type { Deps, Outcome, Turn } from '../turn/types.ts';
import { showItems } from './recommend.ts';

export async function preference(d: Deps, t: Turn): Promise<Outcome> {
  const s = t.session;
  const sl = t.u.slots;
  s.wanted = mergeWanted(s.wanted, { ...sl, productType: undefined, category: undefined, budget: undefined });
  const lang = t.style.lang;
  const parts: string[] = [];
  const not = (what: string) => phrase('not_this', t.style, { what });
  for (const b of sl.excluded.brands) parts.push(not(b));
  for (const c of sl.excluded.colours) parts.push(not(label(c, lang)));
  for (const c of sl.excluded.categories) parts.push(not(label(c, lang)));
  for (const c of sl.excluded.tags) parts.push(not(label(c, lang)));
  if (sl.brand) parts.push(sl.brand);
  if (sl.colour) parts.push(label(sl.colour, lang));
  rememberTaste(t);
  const what = parts.length ? joinList(parts, lang) : t.u.text;
  // With something on screen, the preference reshapes the list at once.
  if (s.shown.length > 0 && (sl.excluded.brands.length || sl.excluded.colours.length || sl.brand || sl.colour)) {
    const shown = await showItems(d, t);
    return { ...shown, reply: `${say('preference_noted', t.style, { what }, t.seed)} ${shown.reply}` };
  }
  return { reply: say('preference_noted', t.style, { what }, t.seed), quick: ['recommend'] };
}
