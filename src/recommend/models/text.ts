/**
 * Text analysis for the content model: the NLU's tokeniser, stop words and stemmers for English and
 * Spanish (one analyser for the whole engine), plus bilingual query terms for text of unknown language.
 */
import { detectLanguage as detect } from '../../text/language.ts';
import { STOPWORDS, stem, tokenize, type Lang } from '../../text/text.ts';

export { analyze, fold, stemEn, stemEs, type Lang } from '../../text/text.ts';

/** The language of a text (English when unsure). */
export function detectLanguage(text: string): Lang {
  return detect(text).language;
}

/**
 * Terms of a query whose language is unknown: each word that is not a stop word in both languages
 * yields its English and its Spanish stem (one or two distinct terms), so short queries such as
 * "zapatilla roja" match whichever language the catalog is written in.
 */
export function queryTerms(text: string): string[][] {
  const out: string[][] = [];
  for (const w of tokenize(text)) {
    const en = !STOPWORDS.en.has(w);
    const es = !STOPWORDS.es.has(w);
    if ((!en && !es) || (w.length < 2 && !/\d/.test(w))) continue;
    const alts = new Set<string>();
    if (en) alts.add(stem(w, 'en'));
    if (es) alts.add(stem(w, 'es'));
    out.push([...alts]);
  }
  return out;
}
