/**
 * Numbers as people type them in English and Spanish chat: digits with either decimal convention
 * ("59,99", "1.000", "1,500.50"), "1k", "2 mil", and number words ("fifty", "a hundred and twenty",
 * "ciento cincuenta", "treinta y cinco", "dos mil"). Works on folded (lower-case, accent-free) text.
 */
import type { Lang } from '../../text/text.ts';

const EN_VALUES: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

const ES_VALUES: Record<string, number> = {
  cero: 0,
  un: 1,
  uno: 1,
  una: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
  once: 11,
  doce: 12,
  trece: 13,
  catorce: 14,
  quince: 15,
  dieciseis: 16,
  diecisiete: 17,
  dieciocho: 18,
  diecinueve: 19,
  veinte: 20,
  veintiun: 21,
  veintiuno: 21,
  veintiuna: 21,
  veintidos: 22,
  veintitres: 23,
  veinticuatro: 24,
  veinticinco: 25,
  veintiseis: 26,
  veintisiete: 27,
  veintiocho: 28,
  veintinueve: 29,
  treinta: 30,
  cuarenta: 40,
  cincuenta: 50,
  sesenta: 60,
  setenta: 70,
  ochenta: 80,
  noventa: 90,
  cien: 100,
  ciento: 100,
  doscientos: 200,
  doscientas: 200,
  trescientos: 300,
  trescientas: 300,
  cuatrocientos: 400,
  cuatrocientas: 400,
  quinientos: 500,
  quinientas: 500,
  seiscientos: 600,
  seiscientas: 600,
  setecientos: 700,
  setecientas: 700,
  ochocientos: 800,
  ochocientas: 800,
  novecientos: 900,
  novecientas: 900,
};

const MULTIPLIERS: Record<string, number> = { hundred: 100, thousand: 1000, mil: 1000, grand: 1000 };

function alternation(words: string[]): string {
  return words.sort((a, b) => b.length - a.length).join('|');
}

const EN_WORD = `(?:${alternation([...Object.keys(EN_VALUES), 'hundred', 'thousand'])})`;
const ES_WORD = `(?:${alternation([...Object.keys(ES_VALUES), 'mil'])})`;
const B = '(?<![a-z0-9])';
const E = '(?![a-z0-9])';

/**
 * Regex source for a run of number words in the language (and/y/hyphens allowed between them). At most
 * ten words ("a hundred and twenty five thousand three hundred and forty two" is eight): an unbounded run
 * would be matched again from each of its words, which makes "fifty fifty fifty…" cost the square of its length.
 */
export const NUMBER_WORDS: Record<Lang, string> = {
  en: `${B}(?:a\\s+)?${EN_WORD}(?:(?:\\s+and\\s+|\\s+|-)${EN_WORD}){0,9}${E}`,
  es: `${B}${ES_WORD}(?:(?:\\s+y\\s+|\\s+)${ES_WORD}){0,9}${E}`,
};

/**
 * Regex source for a number in digits, with an optional thousands suffix. Bounded (15 digits per group, six
 * groups: "1.000.000.000,00" has five) and never started inside another number ("1.5": not a second number
 * at "5"), so each position costs a constant: an unbounded `\d+(?:[.,]\d+)*` is tried from every digit of
 * "1.1.1.1…" to its end, quadratic in the message. A longer run is no number at all.
 */
const DIGITS = `${B}(?<!\\d[.,])\\d{1,15}(?:[.,]\\d{1,15}){0,5}(?![.,]?\\d)(?!(?:st|nd|rd|th)${E})(?:\\s*(?:k|mil|thousand|grand)${E})?`;

/** Regex source for any number: digits or words. */
export function numberPattern(lang: Lang): string {
  return `(?:${DIGITS}|${NUMBER_WORDS[lang]})`;
}

/** Parses "1.000", "59,99", "1,500.50", "2k", "1,5 mil". */
export function parseDigits(s: string): number | undefined {
  let text = s.trim();
  let mult = 1;
  const suffix = /\s*(k|mil|thousand|grand)$/.exec(text);
  if (suffix) {
    mult = 1000;
    text = text.slice(0, suffix.index);
  }
  if (!/^\d+(?:[.,]\d+)*$/.test(text)) return undefined;
  const seps = text.match(/[.,]/g) ?? [];
  let value: number;
  if (seps.length === 0) value = Number(text);
  else {
    const last = Math.max(text.lastIndexOf('.'), text.lastIndexOf(','));
    const tail = text.slice(last + 1);
    const kinds = new Set(seps);
    const decimal = kinds.size === 2 || (seps.length === 1 && (tail.length !== 3 || mult > 1));
    if (decimal) value = Number(text.slice(0, last).replace(/[.,]/g, '') + '.' + tail);
    else value = Number(text.replace(/[.,]/g, ''));
  }
  return Number.isFinite(value) ? value * mult : undefined;
}

/** Parses a run of number words; undefined for a lone "one"/"un"/"a" (more often an article than a number). */
export function parseNumberWords(s: string, lang: Lang): number | undefined {
  const words = s
    .trim()
    .split(/[\s-]+/)
    .filter((w) => w && w !== 'and' && w !== 'y');
  if (!words.length) return undefined;
  if (words.length === 1 && ['one', 'a', 'un', 'uno', 'una'].includes(words[0])) return undefined;
  const values = lang === 'es' ? ES_VALUES : EN_VALUES;
  let total = 0;
  let current = 0;
  let seen = false;
  for (const w of words) {
    // "a hundred", "a thousand": the multiplier counts one by itself; "a fifty" is fifty (not fifty-one).
    if (w === 'a') continue;
    const m = MULTIPLIERS[w];
    if (m === 1000) {
      total += (current || 1) * 1000;
      current = 0;
      seen = true;
    } else if (m === 100) {
      current = (current || 1) * 100;
      seen = true;
    } else if (w in values) {
      current += values[w];
      seen = true;
    } else return undefined;
  }
  return seen ? total + current : undefined;
}

/** Parses a number in digits or words. */
export function parseNumber(s: string, lang: Lang): number | undefined {
  return /\d/.test(s) ? parseDigits(s) : parseNumberWords(s, lang);
}
