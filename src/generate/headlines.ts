/**
 * Headlines and ad copy, the pure part: a front page in the order of one reader's interests, and a
 * headline or an ad written from one item's facts for them (the fact they care about most, in their
 * language, tone and form of address).
 */
import { applyAddress, type Style } from '../converse/templates.ts';
import { fold, type Lang } from '../text/text.ts';
import type { ItemFacts, Reader } from './facts.ts';
import { factSentences, orderFacts, priceText } from './writer.ts';

export interface FrontPageEntry {
  id: string;
  title?: string;
  keys: string[];
}

export interface RankedEntry {
  id: string;
  title?: string;
  /** How well it matches the reader's interests (null without personalization: the editor's order). */
  score: number | null;
  /** The reader's interests it matches, strongest first. */
  matches: string[];
}

/**
 * The entries by interest: each matching interest adds its weight (the strongest 1, then less), ties
 * and entries matching nothing keep the editor's order. Without interests, the editor's order stands.
 */
export function rankFrontPage(entries: readonly FrontPageEntry[], interests: ReadonlyArray<{ name: string; score: number }> | null): RankedEntry[] {
  if (!interests) return entries.map((e) => ({ id: e.id, ...(e.title ? { title: e.title } : {}), score: null, matches: [] }));
  const top = Math.max(1e-9, ...interests.map((i) => i.score));
  const weight = new Map<string, { name: string; w: number }>();
  for (const i of interests) {
    const k = fold(i.name);
    if (i.score > 0 && !weight.has(k)) weight.set(k, { name: i.name, w: i.score / top });
  }
  return entries
    .map((e, k) => {
      const hits = [...new Set(e.keys.map(fold))].flatMap((key) => {
        const hit = weight.get(key);
        return hit ? [hit] : [];
      });
      hits.sort((a, b) => b.w - a.w);
      const score = Math.round(hits.reduce((s, h) => s + h.w, 0) * 1000) / 1000;
      return { k, entry: { id: e.id, ...(e.title ? { title: e.title } : {}), score, matches: hits.map((h) => h.name) } };
    })
    .sort((a, b) => b.entry.score - a.entry.score || a.k - b.k)
    .map((x) => x.entry);
}

const CTA: Record<Lang, Record<Reader['tone'], string>> = {
  en: { informal: 'Take a look!', technical: 'See the full specifications.', direct: 'Shop now.' },
  es: { informal: '¡[Échale|Échele] un vistazo!', technical: '[Consulta|Consulte] todas las características.', direct: '[Compra|Compre] ahora.' },
};

/** A headline (or an ad, with a call to action) for one item: its title and the fact this reader cares about most. */
export function writeHeadline(f: ItemFacts, reader: Reader, kind: 'headline' | 'ad'): { text: string; fields: string[] } {
  const style: Style = { lang: reader.lang, tone: reader.tone, address: reader.address };
  const seed = JSON.stringify([f.id, reader.lang, reader.tone, reader.address, reader.interests, reader.priceBand, kind]);
  // A short fact: a description sentence is the item's own words, too long for a headline past 90 characters.
  const facts = orderFacts(factSentences(f, style, reader.personalized ? seed : ''), reader).filter(
    (s) => s.field !== 'available' && (s.field !== 'description' || s.text.length <= 90),
  );
  const price = priceText(f, reader.lang);
  const top = reader.tone === 'direct' && price ? facts.find((s) => s.field === 'price') : facts[0];
  // The price as it is ("69 €"), not the description's sentence about it; a fact that has its own colon
  // ("Weight: 260") follows a dash, so the line never reads "title: name: value".
  const fact = top?.field === 'price' && price ? price : top?.text.replace(/[.!]$/, '');
  const joint = reader.tone === 'informal' && !fact?.includes(':') ? ': ' : ' — ';
  let text = fact ? `${f.title}${joint}${fact}` : f.title;
  if (kind === 'ad') text = `${text}. ${applyAddress(CTA[reader.lang][reader.tone], reader.address)}`;
  return { text, fields: ['title', ...(top ? [top.field] : [])] };
}
