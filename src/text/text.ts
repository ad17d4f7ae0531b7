/**
 * Text normalisation shared by the NLU and the content models: lower-casing, accent folding (keeping the
 * original), tokenisation with offsets, light suffix-stripping stemmers for English and Spanish, and stop
 * words for both languages. Pure functions, no state.
 */

export type Lang = 'en' | 'es';

export interface Normalized {
  /** The input in Unicode NFC form. */
  original: string;
  /** Lower-cased, same length as `original` (so offsets carry over). */
  lower: string;
  /** Lower-cased and accent-folded ("Canción" → "cancion", "ñ" → "n"), same length as `original`. */
  folded: string;
}

const MARKS = /[\u0300-\u036f]/g;

/** Folded non-ASCII characters seen so far: a catalogue's text repeats the same few accents. */
const FOLDED = new Map<string, string>();

function foldChar(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0xc0) return c;
  let f = FOLDED.get(c);
  if (f === undefined) {
    f = c.normalize('NFD').replace(MARKS, '');
    if (f.length !== 1) f = c;
    if (FOLDED.size < 10_000) FOLDED.set(c, f);
  }
  return f;
}

/** Lower-cases and folds accents, keeping one output character per input character. */
export function normalize(text: string): Normalized {
  if (/^\p{ASCII}*$/u.test(text)) {
    const l = text.toLowerCase();
    return { original: text, lower: l, folded: l };
  }
  const original = text.normalize('NFC');
  let lower = '';
  let folded = '';
  for (let i = 0; i < original.length; i++) {
    const c = original[i];
    let l = c.toLowerCase();
    if (l.length !== 1) l = c;
    lower += l;
    folded += foldChar(l);
  }
  return { original, lower, folded };
}

/** Lower-cased, accent-folded text. */
export function fold(text: string): string {
  return normalize(text).folded;
}

export interface Token {
  /** The folded token with apostrophes removed ("don't" → "dont"). */
  norm: string;
  /** The token as written (original case and accents). */
  raw: string;
  start: number;
  end: number;
}

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** Tokens with their offsets in the original text. */
export function tokenizeWithOffsets(text: string): Token[] {
  const n = normalize(text);
  const out: Token[] = [];
  for (const m of n.folded.matchAll(TOKEN)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    out.push({ norm: m[0].replace(/['’]/g, ''), raw: n.original.slice(start, end), start, end });
  }
  return out;
}

/** Folded, lower-cased word tokens ("¿Tenéis auriculares?" → ["teneis", "auriculares"]). */
export function tokenize(text: string): string[] {
  // The same tokens as tokenizeWithOffsets, without building offsets: catalogue induction tokenizes every item.
  const m = normalize(text).folded.match(TOKEN);
  if (!m) return [];
  for (let i = 0; i < m.length; i++) if (m[i].includes("'") || m[i].includes('’')) m[i] = m[i].replace(/['’]/g, '');
  return m;
}

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);

function undouble(s: string): string {
  const n = s.length;
  if (n >= 3 && s[n - 1] === s[n - 2] && !VOWELS.has(s[n - 1]) && !'lsz'.includes(s[n - 1])) return s.slice(0, -1);
  return s;
}

/** A light English stemmer: plurals, -ing, -ed, -er/-est, -ly, and a final silent e. Folded input. */
export function stemEn(w: string): string {
  if (w.length <= 3 || /\d/.test(w)) return w;
  let s = w;
  if (s.endsWith('ies') && s.length > 4) s = s.slice(0, -3) + 'y';
  else if (s.endsWith('sses')) s = s.slice(0, -2);
  else if (/(?:ss|us|is)$/.test(s)) {
    /* keep: glass, bonus, this */
  } else if (/(?:ches|shes|xes|zes)$/.test(s)) s = s.slice(0, -2);
  else if (s.endsWith('s')) s = s.slice(0, -1);
  if (s.length > 5 && s.endsWith('ing')) s = undouble(s.slice(0, -3));
  else if (s.length > 4 && s.endsWith('ied')) s = s.slice(0, -3) + 'y';
  else if (s.length > 4 && s.endsWith('ed')) s = undouble(s.slice(0, -2));
  else if (s.length > 6 && s.endsWith('iest')) s = s.slice(0, -4) + 'y';
  else if (s.length > 6 && s.endsWith('est')) s = undouble(s.slice(0, -3));
  else if (s.length > 5 && s.endsWith('ier')) s = s.slice(0, -3) + 'y';
  else if (s.length > 5 && s.endsWith('er')) s = undouble(s.slice(0, -2));
  else if (s.length > 5 && s.endsWith('ly')) s = s.slice(0, -2);
  if (s.length > 3 && s.endsWith('e')) s = s.slice(0, -1);
  if (s.length > 3 && s.endsWith('y') && !VOWELS.has(s[s.length - 2])) s = s.slice(0, -1) + 'i';
  return s;
}

/** A light Spanish stemmer: plurals, -mente and the final gender vowel. Folded input. */
export function stemEs(w: string): string {
  if (w.length <= 3 || /\d/.test(w)) return w;
  let s = w;
  if (s.length > 4 && s.endsWith('ces')) s = s.slice(0, -3) + 'z';
  else if (s.length > 4 && /[rlndjz]es$/.test(s)) s = s.slice(0, -2);
  else if (s.length > 3 && /[aeiou]s$/.test(s)) s = s.slice(0, -1);
  if (s.length > 7 && s.endsWith('mente')) s = s.slice(0, -5);
  if (s.length > 3 && /[aoe]$/.test(s)) s = s.slice(0, -1);
  return s;
}

/** Stems one folded token for the given language. */
export function stem(token: string, lang: Lang): string {
  return lang === 'es' ? stemEs(token) : stemEn(token);
}

const EN_STOP = `a about above after again against all am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
once only or other our ours ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves im ive id youre dont doesnt didnt isnt arent
wasnt cant wont shouldnt couldnt wouldnt thats whats theres lets its also get got may might must shall us okay`;

const ES_STOP = `a al algo algun alguna algunas alguno algunos ante antes aqui asi aun bajo bien cada casi como con contra cual
cuales cuando cuanto de del desde donde dos e el ella ellas ello ellos en entre era eran eres es esa esas ese eso esos
esta estaba estado estais estamos estan estar estas este esto estos estoy fue fueron fui ha habia han has hasta hay
he la las le les lo los me mi mis mucho muchos muy nada ni no nos nosotras nosotros nuestra nuestro o os otra otras otro
otros para pero poco por porque pues que quien quienes se sea ser si sido sin sino sobre solo somos son soy su sus
suya suyo tambien tan tanto te tenemos tener tengo ti tiene tienen toda todas todo todos tu tus u un una unas uno
unos usted ustedes vosotros ya yo`;

function wordSet(s: string): ReadonlySet<string> {
  return new Set(s.split(/\s+/).filter(Boolean));
}

/** Folded stop words per language. Negations ("no", "not", "sin") are included: the slot extractor reads them itself. */
export const STOPWORDS: Readonly<Record<Lang, ReadonlySet<string>>> = {
  en: wordSet(EN_STOP),
  es: wordSet(ES_STOP),
};

/**
 * Index terms for a retrieval model (BM25 and the like): folded tokens, stop words removed, stemmed.
 */
export function analyze(text: string, lang: Lang, options: { keepStopwords?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const t of tokenize(text)) {
    if (!options.keepStopwords && STOPWORDS[lang].has(t)) continue;
    out.push(stem(t, lang));
  }
  return out;
}
