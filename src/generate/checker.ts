/**
 * The guard between a written text and the reader: every price, number and product a text names must
 * be in the facts it was written from, and (for the LLM's texts) it must be in the reader's language,
 * form of address and tone. The LLM's texts pass through it (a rejected text is written
 * again once, then by the embedded writer); the evaluation passes every text through it, the embedded
 * writer's too. Literal and cheap, like the chat's grounding check, which it builds on.
 */
import type { Address, Tone } from '../converse/templates.ts';
import { checkGrounding, normalise, priceMentions } from '../llm/grounding.ts';
import { detectLanguage } from '../text/language.ts';
import type { Lang } from '../text/text.ts';
import type { ItemFacts } from './facts.ts';

export interface FactsForCheck {
  items: readonly ItemFacts[];
  /** Numbers the text may say besides the items' own (days since the last visit, how many items). */
  numbers?: readonly number[];
  /** Words the text may quote besides titles (the person's name, the shop's). */
  names?: readonly string[];
  /** The whole catalogue's titles: naming a product that is in the shop but not in the facts is an invention too. */
  catalogTitles?: readonly string[];
}

export interface CheckResult {
  ok: boolean;
  problems: string[];
}

const TOLERANCE = 0.005;
const NUMBER = /(?<![\p{L}\p{N}])\d+(?:[.,]\d+)*(?![\p{N}])/gu;

/** Every reading of a written number: "1.299" is 1299 or 1.299, "2,5" is 2.5. */
function readings(raw: string): number[] {
  const parts = raw.split(/[.,]/);
  if (parts.length === 1) return [Number(raw)];
  const whole = Number(parts.join(''));
  const last = parts[parts.length - 1];
  const decimal = Number(`${parts.slice(0, -1).join('')}.${last}`);
  return last.length === 3 ? [whole, decimal] : [decimal];
}

/** The texts a fact carries as they are (titles, sentences, reasons, values): their numbers and words may be repeated. */
function allowedStrings(f: ItemFacts): string[] {
  return [f.title, f.brand, f.colour, f.category, ...f.uses, ...f.sentences, ...f.reasons, ...f.attributes.map((a) => String(a.value))].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
}

export function allowedNumbers(facts: FactsForCheck): number[] {
  const out: number[] = [...(facts.numbers ?? [])];
  for (const f of facts.items) {
    if (f.price !== undefined) out.push(f.price);
    for (const a of f.attributes) if (typeof a.value === 'number') out.push(a.value);
    for (const s of allowedStrings(f)) for (const m of s.matchAll(NUMBER)) out.push(...readings(m[0]));
  }
  return out;
}

const titleIndex = new WeakMap<readonly string[], string[]>();
function normalisedTitles(titles: readonly string[]): string[] {
  let n = titleIndex.get(titles);
  if (!n) titleIndex.set(titles, (n = titles.map(normalise)));
  return n;
}

export function checkFacts(text: string, facts: FactsForCheck): CheckResult {
  const problems = new Set<string>();
  const items = facts.items.map((f) => ({ id: f.id, title: f.title, price: f.price, currency: f.currency }));
  const strings = facts.items.flatMap(allowedStrings);
  // Prices, ids and quoted product names, against the facts' items only.
  // Amounts the facts' own words state ("send a $100 gift card" in a description) may be repeated.
  const quoted = strings.flatMap((x) => priceMentions(x).flatMap((m) => m.values));
  const g = checkGrounding(text, { items }, items, { allowedNames: [...strings, ...(facts.names ?? [])], allowedAmounts: quoted });
  for (const p of g.problems) problems.add(p);

  // Every other number: what remains once the facts' own strings and the checked prices are taken out.
  let rest = ` ${text} `;
  // Only strings with words: a bare number ("9") taken out would cut it from inside other numbers (459,99).
  for (const s of [...strings].sort((a, b) => b.length - a.length)) if (/\d/.test(s) && /\p{L}/u.test(s)) rest = rest.split(s).join(' ');
  // Longest first, or taking out "9,99 €" would leave the "45" of "459,99 €" behind.
  for (const m of priceMentions(rest).sort((a, b) => b.text.length - a.text.length)) rest = rest.split(m.text).join(' ');
  const allowed = allowedNumbers(facts);
  for (const m of rest.matchAll(NUMBER)) {
    if (!readings(m[0]).some((v) => allowed.some((a) => Math.abs(a - v) <= TOLERANCE))) problems.add(`the number "${m[0]}" is not in the facts`);
  }

  // Products of the shop that the facts do not include.
  if (facts.catalogTitles?.length) {
    // A product the facts themselves name (a title, or a reason's "because you bought X") may be said.
    const own = ` ${strings.map(normalise).join(' | ')} `;
    const said = ` ${normalise(text)} `;
    for (const t of normalisedTitles(facts.catalogTitles)) {
      if (t.length < 8 || !t.includes(' ')) continue;
      if (said.includes(` ${t} `) && !own.includes(` ${t} `)) problems.add(`the product "${t}" is not in the facts`);
    }
  }
  return { ok: problems.size === 0, problems: [...problems] };
}

// ------------------------------------------------------------------------------------ style

/**
 * Words only one form of address uses. Third-person forms that also address `usted` ("su", "le",
 * "vuelve", "recibe") are left out: a text about a product says them of the product.
 */
export const TU_WORDS = /(?<!\p{L})(tú|tu|tus|te|ti|contigo|puedes|quieres|tienes|recibes|aceptaste|dejaste|compraste|viste|échale|cuéntame)(?!\p{L})/iu;
export const USTED_WORDS = /(?<!\p{L})(usted|ustedes|quiera|vuelva|échele|termine|consulte|disfrute|aproveche|descubra|pruébelo|cuéntenos)(?!\p{L})/iu;

/** The slang and emoji a technical or direct text does without (the informal tone may use them). */
const EMOJI = /\p{Extended_Pictographic}/u;
const SLANG = /(?<!\p{L})(hey|hiya|lol|gonna|wanna|omg|guay|mola|tío|flipar)(?!\p{L})|!!/iu;

/** At least this many words of the writer's own before its language is judged (shorter texts say too little). */
const LANGUAGE_MIN_WORDS = 6;
const LANGUAGE_MIN_CONFIDENCE = 0.75;

export interface StyleWanted {
  lang: Lang;
  tone: Tone;
  address: Address;
}

/** The text with what it may quote as it is taken out: the items' titles and own sentences, reasons, names. */
export function ownWords(text: string, facts: FactsForCheck): string {
  let own = text;
  const quoted = [...facts.items.flatMap(allowedStrings), ...(facts.names ?? [])].filter((s) => s.length >= 2).sort((a, b) => b.length - a.length);
  for (const s of quoted) own = own.split(s).join(' ');
  return own;
}

/** The word of the other form of address a Spanish text uses, if any. */
export function wrongAddressWord(own: string, address: Address): string | null {
  return (address === 'usted' ? TU_WORDS : USTED_WORDS).exec(own)?.[0] ?? null;
}

/**
 * Whether a text is in the reader's language, form of address and tone, judged on the writer's own
 * words (the facts' titles and sentences are the shop's, in whatever language they are).
 */
export function checkStyle(text: string, want: StyleWanted, facts: FactsForCheck): CheckResult {
  const problems: string[] = [];
  const own = ownWords(text, facts);
  const words = own.split(/\s+/).filter((w) => /\p{L}{2,}/u.test(w)).length;
  if (words >= LANGUAGE_MIN_WORDS) {
    const g = detectLanguage(own);
    if (g.language !== want.lang && g.confidence >= LANGUAGE_MIN_CONFIDENCE)
      problems.push(`the text is in ${g.language === 'es' ? 'Spanish' : 'English'}, not ${want.lang === 'es' ? 'Spanish' : 'English'}`);
  }
  if (want.lang === 'es') {
    const wrong = wrongAddressWord(own, want.address);
    if (wrong)
      problems.push(
        `the reader is addressed as "${want.address === 'usted' ? 'tú' : 'usted'}" ("${wrong}"), not as "${want.address === 'usted' ? 'usted' : 'tú'}"`,
      );
  }
  if (want.tone !== 'informal') {
    const e = EMOJI.exec(own)?.[0];
    if (e) problems.push(`an emoji ("${e}") in a ${want.tone} text`);
    const s = SLANG.exec(own)?.[0];
    if (s) problems.push(`slang ("${s}") in a ${want.tone} text`);
  }
  return { ok: problems.length === 0, problems };
}
