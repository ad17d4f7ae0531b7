/**
 * The facts a piece of content may state, and the signals that choose among them. Everything a text
 * says about a product comes from here: the item's own fields and attributes, and the recommender's
 * reasons. Both writers (embedded and LLM) write from these and the checker accepts nothing else.
 */
import type { StoredItem } from '../domain/schemas.ts';
import type { Address, Tone } from '../converse/templates.ts';
import { toneFromTrait } from '../converse/tone.ts';
import { detectLanguage } from '../text/language.ts';
import type { Lang } from '../text/text.ts';
import type { PersonView } from './ports.ts';
import type { BrandVoiceT } from './schemas.ts';

/** One attribute worth saying: its name and a scalar value. */
export interface AttributeFact {
  name: string;
  value: string | number;
}

export interface ItemFacts {
  id: string;
  title: string;
  price?: number;
  currency?: string;
  category?: string;
  brand?: string;
  colour?: string;
  uses: string[];
  attributes: AttributeFact[];
  /** The description's sentences that are in the reader's language (others cannot be quoted as they are). */
  sentences: string[];
  available: boolean;
  /** Why the recommender proposed it, as it said it. */
  reasons: string[];
}

/** What is known of the person and used: each signal with where it came from. */
export interface Signal {
  name: string;
  value: string | number | string[];
  source: 'trait' | 'profile' | 'brand voice' | 'consent' | 'default' | 'workspace';
}

export interface Reader {
  lang: Lang;
  tone: Tone;
  address: Address;
  personalized: boolean;
  name?: string;
  /** Interest words, strongest first: categories then tags. */
  interests: string[];
  priceBand: 'budget' | 'mid' | 'premium' | null;
  daysSinceLastSeen: number | null;
  signals: Signal[];
}

/** Attributes said elsewhere (brand, colour, uses) or internal to the shop (tier, line, variant). */
const SAID_OR_INTERNAL = new Set([
  'brand',
  'colour',
  'color',
  'use',
  'uses',
  'producttype',
  'tier',
  'line',
  'variant',
  'sku',
  'id',
  'gtin',
  'ean',
  'url',
  'image',
]);

const asLang = (v: unknown): Lang | undefined => (v === 'en' || v === 'es' ? v : undefined);

/** The reader: language, tone and address from traits, then events, then the brand voice; interests only with personalization. */
export function readerOf(person: PersonView | null, voice: BrandVoiceT, personalized: boolean): Reader {
  const signals: Signal[] = [];
  const traits = person?.traits ?? {};
  // Language and style are what the person declared or what the shop says: they are used even for a
  // generic text, as a language is not profiling. Interests and history only with personalization.
  let lang = asLang(traits.language);
  if (lang) signals.push({ name: 'language', value: lang, source: 'trait' });
  else if (personalized && asLang(person?.language)) {
    lang = asLang(person?.language)!;
    signals.push({ name: 'language', value: lang, source: 'profile' });
  } else {
    lang = voice.language;
    signals.push({ name: 'language', value: lang, source: 'brand voice' });
  }
  const traitTone = toneFromTrait(traits.tone);
  const tone = traitTone ?? voice.tone;
  signals.push({ name: 'tone', value: tone, source: traitTone ? 'trait' : 'brand voice' });
  const traitAddress = traits.address === 'usted' || traits.address === 'tu' ? traits.address : undefined;
  const address = traitAddress ?? voice.address;
  if (lang === 'es') signals.push({ name: 'address', value: address, source: traitAddress ? 'trait' : 'brand voice' });
  const name = typeof traits.name === 'string' && traits.name.trim() ? traits.name.trim().split(/\s+/)[0].slice(0, 40) : undefined;
  if (name) signals.push({ name: 'name', value: name, source: 'trait' });
  signals.push({ name: 'personalization', value: personalized ? 'allowed' : 'not allowed', source: 'consent' });
  if (!personalized || !person) return { lang, tone, address, personalized, name, interests: [], priceBand: null, daysSinceLastSeen: null, signals };
  const interests = [...person.affinities.categories, ...person.affinities.tags]
    .filter((a) => a.score > 0)
    .map((a) => a.name)
    .filter((n, i, all) => all.indexOf(n) === i)
    .slice(0, 8);
  if (interests.length) signals.push({ name: 'interests', value: interests, source: 'profile' });
  const priceBand = person.features.priceBand;
  if (priceBand) signals.push({ name: 'priceBand', value: priceBand, source: 'profile' });
  const days = person.features.daysSinceLastSeen;
  if (days !== null) signals.push({ name: 'daysSinceLastSeen', value: days, source: 'profile' });
  return { lang, tone, address, personalized, name, interests, priceBand, daysSinceLastSeen: days, signals };
}

/** The facts of one item for a reader of `lang`. */
export function itemFacts(item: StoredItem, lang: Lang, reasons: string[] = []): ItemFacts {
  const a = (item.attributes ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const uses = [...new Set([...(Array.isArray(a.uses) ? a.uses : []), a.use].map(str).filter((u): u is string => !!u))];
  const attributes: AttributeFact[] = [];
  for (const [name, v] of Object.entries(a)) {
    if (SAID_OR_INTERNAL.has(name.toLowerCase())) continue;
    if (typeof v === 'number' && Number.isFinite(v)) attributes.push({ name, value: v });
    else if (typeof v === 'string' && v.trim() && v.length <= 80) attributes.push({ name, value: v.trim() });
    else if (typeof v === 'boolean' && v) attributes.push({ name, value: 'yes' });
  }
  return {
    id: item.id,
    title: item.title,
    ...(item.price !== undefined ? { price: item.price } : {}),
    ...(item.currency ? { currency: item.currency } : {}),
    ...(item.categories?.[0] ? { category: item.categories[0] } : {}),
    ...(str(a.brand) ? { brand: str(a.brand) } : {}),
    ...(str(a.colour ?? a.color) ? { colour: str(a.colour ?? a.color) } : {}),
    uses,
    attributes: attributes.slice(0, 12),
    sentences: sentencesIn(item, lang),
    available: item.available,
    reasons,
  };
}

/**
 * The description's sentences, when it is written in the reader's language: a product's own words in
 * another language would be a text in two languages, and translating them would be writing new claims.
 */
function sentencesIn(item: StoredItem, lang: Lang): string[] {
  const text = (item.description ?? '').replace(/\s+/g, ' ').trim();
  if (!text) return [];
  const itemLang = asLang(item.language) ?? (detectLanguage(text).confidence >= 0.6 ? detectLanguage(text).language : undefined);
  if (itemLang !== lang) return [];
  return (text.match(/[^.!?]+[.!?]+|[^.!?]+$/g) ?? [])
    .map((s) => s.trim())
    .filter((s) => s.length >= 12 && s.length <= 300)
    .slice(0, 8);
}

/** The facts as `basis` lists them: one line per field used. */
export function factLines(f: ItemFacts): Array<{ itemId: string; field: string; value: string | number | boolean }> {
  const out: Array<{ itemId: string; field: string; value: string | number | boolean }> = [{ itemId: f.id, field: 'title', value: f.title }];
  if (f.price !== undefined) out.push({ itemId: f.id, field: 'price', value: f.price });
  if (f.currency) out.push({ itemId: f.id, field: 'currency', value: f.currency });
  if (f.category) out.push({ itemId: f.id, field: 'category', value: f.category });
  if (f.brand) out.push({ itemId: f.id, field: 'attributes.brand', value: f.brand });
  if (f.colour) out.push({ itemId: f.id, field: 'attributes.colour', value: f.colour });
  for (const u of f.uses) out.push({ itemId: f.id, field: 'attributes.use', value: u });
  for (const at of f.attributes) out.push({ itemId: f.id, field: `attributes.${at.name}`, value: at.value });
  for (const s of f.sentences) out.push({ itemId: f.id, field: 'description', value: s });
  if (!f.available) out.push({ itemId: f.id, field: 'available', value: false });
  for (const r of f.reasons) out.push({ itemId: f.id, field: 'reason', value: r });
  return out;
}
