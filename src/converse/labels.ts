import type { Budget } from './nlu/slots.ts';
import { COLOUR_SYNONYMS, PRODUCT_SYNONYMS, USE_SYNONYMS, type SynonymGroup } from './nlu/synonyms.ts';
import { fold, type Lang } from './nlu/text.ts';
import { formatPrice } from './templates.ts';

const GROUPS: readonly SynonymGroup[] = [...PRODUCT_SYNONYMS, ...USE_SYNONYMS, ...COLOUR_SYNONYMS];
const BY_NAME = new Map<string, SynonymGroup>();
for (const g of GROUPS) for (const name of [g.canonical, ...g.en]) if (!BY_NAME.has(fold(name))) BY_NAME.set(fold(name), g);

/** A catalogue value ("running shoes", "red") in the reply's language ("zapatillas de correr", "rojo"). */
export function label(value: string, lang: Lang): string {
  const g = BY_NAME.get(fold(value.replace(/[-_]/g, ' ')));
  if (!g) return value.replace(/[-_]/g, ' ');
  return lang === 'es' ? g.es[0] ?? g.canonical : g.canonical;
}

/** "under 60 €", "entre 100 y 200 €", "around $50", "cheap" — the budget as the person would say it. */
export function budgetText(b: Budget, lang: Lang, currency?: string): string {
  const p = (v: number) => formatPrice(v, b.currency ?? currency, lang);
  if (b.min !== undefined && b.max !== undefined) return lang === 'es' ? `entre ${p(b.min)} y ${p(b.max)}` : `between ${p(b.min)} and ${p(b.max)}`;
  if (b.max !== undefined) return lang === 'es' ? `por menos de ${p(b.max)}` : `under ${p(b.max)}`;
  if (b.min !== undefined) return lang === 'es' ? `desde ${p(b.min)}` : `from ${p(b.min)}`;
  if (b.around !== undefined) return lang === 'es' ? `por unos ${p(b.around)}` : `around ${p(b.around)}`;
  if (b.relative === 'cheap') return lang === 'es' ? 'económico' : 'budget-friendly';
  if (b.relative === 'premium') return lang === 'es' ? 'de gama alta' : 'premium';
  return '';
}

export function useText(use: string, lang: Lang): string {
  return lang === 'es' ? `para ${label(use, lang)}` : `for ${label(use, lang)}`;
}

/** Joins "a, b and c" / "a, b y c". */
export function joinList(parts: readonly string[], lang: Lang): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} ${lang === 'es' ? 'y' : 'and'} ${parts[parts.length - 1]}`;
}
