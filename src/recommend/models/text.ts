/**
 * Text analysis for English and Spanish: lower-casing, accent folding, stop words and a light
 * suffix-stripping stemmer per language (plurals, gender endings, common derivational suffixes) —
 * enough to make "running shoes" meet "run shoe" and "zapatillas rojas" meet "zapatilla roja".
 */

export type Lang = 'en' | 'es';

const EN_STOP = new Set(
  ('a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers herself him ' +
    'himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other ' +
    'our ours ourselves out over own same she should so some such than that the their theirs them themselves then there ' +
    'these they this those through to too under until up very was we were what when where which while who whom why will ' +
    'with would you your yours yourself yourselves also get got us via per yet ever every much many one'
  ).split(' '),
);

const ES_STOP = new Set(
  ('a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el ella ellas ellos en ' +
    'entre era erais eran eras eres es esa esas ese eso esos esta estaba estado estais estamos estan estar estas este esto ' +
    'estos estoy fue fueron fui fuimos ha habeis haber habia han has hasta hay la las le les lo los mas me mi mis mucho ' +
    'muchos muy nada ni no nos nosotras nosotros nuestra nuestras nuestro nuestros o os otra otras otro otros para pero ' +
    'poco por porque que quien quienes se sea sean ser si sido sin sobre sois somos son soy su sus suya suyo tambien ' +
    'tanto te tenemos tener tengo ti tiene tienen todo todos tu tus un una unas uno unos vosotras vosotros vuestra ' +
    'vuestro y ya yo cada tan asi aqui alli'
  ).split(' '),
);

/** Lower-cases and removes diacritics (ñ becomes n, á becomes a). */
export function fold(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** Splits folded text into word tokens. */
export function words(text: string): string[] {
  return fold(text).match(/[a-z0-9]+/g) ?? [];
}

/** Guesses the language of a text by counting stop words (English when unsure). */
export function detectLanguage(text: string): Lang {
  let en = 0;
  let es = 0;
  for (const w of words(text)) {
    if (EN_STOP.has(w)) en++;
    if (ES_STOP.has(w)) es++;
  }
  if (es > en) return 'es';
  if (en === es) {
    // Spanish letters are a tie-breaker for short texts without stop words.
    if (/[ñáéíóú¿¡]/i.test(text)) return 'es';
  }
  return 'en';
}

const isVowel = (c: string) => c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u';

/** A light English stemmer: plurals, -ing, -ed, -ly, -ness, -ment. */
export function stemEn(w: string): string {
  if (w.length <= 3 || /^\d+$/.test(w)) return w;
  let s = w;
  if (s.endsWith('ies') && s.length > 4) s = s.slice(0, -3) + 'y';
  else if (s.endsWith('sses')) s = s.slice(0, -2);
  else if (/(xes|zes|ches|shes)$/.test(s)) s = s.slice(0, -2);
  else if (s.endsWith('s') && !/(ss|us|is)$/.test(s)) s = s.slice(0, -1);
  if (s.endsWith('ness') && s.length > 6) s = s.slice(0, -4);
  else if (s.endsWith('ment') && s.length > 7) s = s.slice(0, -4);
  else if (s.endsWith('ly') && s.length > 5) s = s.slice(0, -2);
  if (s.endsWith('ing') && s.length > 5 && /[aeiouy]/.test(s.slice(0, -3))) s = undouble(s.slice(0, -3));
  else if (s.endsWith('ed') && s.length > 4 && /[aeiouy]/.test(s.slice(0, -2))) s = undouble(s.slice(0, -2));
  return s;
}

function undouble(s: string): string {
  const n = s.length;
  if (n >= 2 && s[n - 1] === s[n - 2] && !isVowel(s[n - 1]) && !'lsz'.includes(s[n - 1])) return s.slice(0, -1);
  return s;
}

/** A light Spanish stemmer: plurals (-s, -es, -ces), adverbs in -mente, gender and final vowels. */
export function stemEs(w: string): string {
  if (w.length <= 3 || /^\d+$/.test(w)) return w;
  let s = w;
  if (s.endsWith('mente') && s.length > 7) s = s.slice(0, -5);
  if (s.endsWith('ces') && s.length > 4) s = s.slice(0, -3) + 'z';
  else if (s.endsWith('es') && s.length > 4 && !isVowel(s[s.length - 3])) s = s.slice(0, -2);
  else if (s.endsWith('s') && s.length > 3) s = s.slice(0, -1);
  if (s.length > 3 && (s.endsWith('o') || s.endsWith('a') || s.endsWith('e'))) s = s.slice(0, -1);
  return s;
}

/** Folded, stop-word-free, stemmed tokens of a text in a language. */
export function analyze(text: string, lang: Lang): string[] {
  const stop = lang === 'es' ? ES_STOP : EN_STOP;
  const stem = lang === 'es' ? stemEs : stemEn;
  const out: string[] = [];
  for (const w of words(text)) {
    if (stop.has(w) || (w.length < 2 && !/\d/.test(w))) continue;
    out.push(stem(w));
  }
  return out;
}

/**
 * Terms of a query whose language is unknown: each word that is not a stop word in both languages
 * yields its English and its Spanish stem (one or two distinct terms), so short queries such as
 * "zapatilla roja" match whichever language the catalog is written in.
 */
export function queryTerms(text: string): string[][] {
  const out: string[][] = [];
  for (const w of words(text)) {
    const en = !EN_STOP.has(w);
    const es = !ES_STOP.has(w);
    if ((!en && !es) || (w.length < 2 && !/\d/.test(w))) continue;
    const alts = new Set<string>();
    if (en) alts.add(stemEn(w));
    if (es) alts.add(stemEs(w));
    out.push([...alts]);
  }
  return out;
}
