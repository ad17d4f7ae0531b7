/**
 * Long-term memory (only with chatMemory consent: `t.memory` is null otherwise): what carries over to
 * the next session, the tastes stated, and what earlier sessions fill in for a new request.
 */
import type { Wanted } from '../catalog-search.ts';
import type { Understanding } from '../nlu/index.ts';
import type { ChatMemory } from '../session.ts';
import type { Turn } from './types.ts';

export function addStats(a: ChatMemory['writing'], b: ChatMemory['writing']): ChatMemory['writing'] {
  const out = { ...a };
  for (const k of Object.keys(b) as Array<keyof typeof b>) out[k] = a[k] + b[k];
  return out;
}

/** What carries over to the next session: the memory updated with this turn, to be saved with the session (null without consent). */
export function remember(t: Turn, now: number): ChatMemory | null {
  const m = t.memory;
  if (!m) return null;
  const s = t.session;
  const w = s.wanted;
  if (w.productType || w.category) {
    m.lastTopic = { productType: w.productType, category: w.category, use: w.use };
    if (w.budget && !w.budget.relative) m.budgets[(w.productType ?? w.category)!] = w.budget;
  }
  m.language = s.language;
  if (s.tone) m.tone = s.tone;
  if (s.address) m.address = s.address;
  m.writing = s.pastWriting ? addStats(s.pastWriting, s.writing) : s.writing;
  m.lastSessionAt = now;
  m.updatedAt = now;
  return m;
}

/** Long-term likes and dislikes stated in the message. */
export function rememberTaste(t: Turn): void {
  const m = t.memory;
  if (!m) return;
  const sl = t.u.slots;
  const add = (list: string[], more: readonly string[]) => [...new Set([...list, ...more])];
  m.dislikes.brands = add(m.dislikes.brands, sl.excluded.brands);
  m.dislikes.colours = add(m.dislikes.colours, sl.excluded.colours);
  m.dislikes.categories = add(m.dislikes.categories, sl.excluded.categories);
  m.dislikes.tags = add(m.dislikes.tags, sl.excluded.tags);
  if (sl.brand) m.likes.brands = add(m.likes.brands, [sl.brand]);
  if (sl.colour) m.likes.colours = add(m.likes.colours, [sl.colour]);
  // A taste stated again the other way round replaces the old one.
  m.likes.brands = m.likes.brands.filter((b) => !sl.excluded.brands.includes(b));
  m.likes.colours = m.likes.colours.filter((c) => !sl.excluded.colours.includes(c));
  if (sl.brand) m.dislikes.brands = m.dislikes.brands.filter((b) => b !== sl.brand);
  if (sl.colour) m.dislikes.colours = m.dislikes.colours.filter((c) => c !== sl.colour);
}

/** Fills what the person did not say from what they said in earlier sessions. */
export function withMemory(t: Turn, w: Wanted, u: Understanding): Wanted {
  const m = t.memory;
  if (!m) return w;
  const out: Wanted = { ...w, excluded: { ...w.excluded } };
  for (const k of ['brands', 'colours', 'categories', 'tags'] as const) out.excluded[k] = [...new Set([...out.excluded[k], ...m.dislikes[k]])];
  const kind = u.slots.productType ?? u.slots.category;
  if (kind && !u.slots.budget && m.budgets[kind]) out.budget = { ...m.budgets[kind] };
  return out;
}
