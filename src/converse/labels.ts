import type { Budget } from './nlu/slots.ts';
import { COLOUR_SYNONYMS, PRODUCT_SYNONYMS, USE_SYNONYMS, type SynonymGroup } from './nlu/synonyms.ts';
import { fold, type Lang } from '../text/text.ts';
import { formatPrice } from './templates.ts';

const GROUPS: readonly SynonymGroup[] = [...PRODUCT_SYNONYMS, ...USE_SYNONYMS, ...COLOUR_SYNONYMS];

/** The key a name is looked up by: folded, separators as spaces, a plural "s" dropped. */
function key(name: string): string {
  return fold(name.replace(/[-_]/g, ' '))
    .trim()
    .split(/\s+/)
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w))
    .join(' ');
}

const BY_NAME = new Map<string, SynonymGroup>();
for (const g of GROUPS) for (const name of [g.canonical, ...g.en, ...g.es]) if (!BY_NAME.has(key(name))) BY_NAME.set(key(name), g);

/** Spanish for common catalogue values that no synonym group spells in Spanish. */
const ES: Record<string, string> = {
  outdoor: 'el aire libre',
  home: 'casa',
  kitchen: 'la cocina',
  bedroom: 'el dormitorio',
  casual: 'el día a día',
  fitness: 'hacer deporte',
  trail: 'trail',
  everyday: 'el día a día',
  electronic: 'electrónica',
  sport: 'deporte',
  fashion: 'moda',
  book: 'libros',
  beauty: 'belleza',
  toy: 'juguetes',
  garden: 'jardín',
  furniture: 'muebles',
  breakfast: 'el desayuno',
  family: 'la familia',
  tea: 'el té',
  espresso: 'el café',
  smoothie: 'batidos',
  soup: 'sopas',
};

/** A catalogue value ("running shoes", "red") in the reply's language ("zapatillas de correr", "rojo"). */
export function label(value: string, lang: Lang): string {
  const plain = value.replace(/[-_]/g, ' ');
  const g = BY_NAME.get(key(value));
  if (lang === 'es') return g?.es[0] ?? ES[key(value)] ?? plain;
  if (!g) return plain;
  // The catalogue's own English word when the group knows it ("jeans", "frying pan"), else the group's name.
  return [g.canonical, ...g.en].some((n) => key(n) === key(value)) ? plain : g.canonical;
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
