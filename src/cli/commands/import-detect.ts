/**
 * What a shop's export looks like, guessed from the file itself: the CSV delimiter from the header
 * line, and whether numbers are written with a decimal comma (`265,0`, `1.234,50`) from a sample of
 * the numeric columns. Pure functions over text.
 */

export const DELIMITERS = [',', ';', '\t', '|'] as const;

/** The delimiter that splits the header line most often, counting outside quotes (a tie goes to the comma). */
export function detectDelimiter(header: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** The first line of a text (without a byte-order mark): enough to read a CSV header. */
export function firstLine(text: string): string {
  const t = text.replace(/^\uFEFF/, '');
  const end = t.search(/\r?\n/);
  return end < 0 ? t : t.slice(0, end);
}

const COMMA_DECIMAL = /^-?(\d{1,3}(\.\d{3})+|\d+),\d+$/;
const DOT_DECIMAL = /^-?(\d{1,3}(,\d{3})+|\d+)\.\d+$/;

/**
 * True when the numbers in a sample are written with a decimal comma: more values read as
 * `1.234,5` / `265,0` than as `1,234.5` / `265.0`. Whole numbers say nothing either way.
 */
export function detectDecimalComma(values: readonly string[]): boolean {
  let comma = 0;
  let dot = 0;
  for (const raw of values) {
    const v = stripAmount(raw);
    if (COMMA_DECIMAL.test(v)) comma++;
    else if (DOT_DECIMAL.test(v)) dot++;
  }
  return comma > dot;
}

/** An amount without spaces and a currency sign or code before or after it (`SR 1 265,00`, `€12`). */
function stripAmount(raw: string): string {
  return raw
    .trim()
    .replace(/[\s\u00a0\u202f]/g, '')
    .replace(/^[^\d\-.,]+|[^\d.,]+$/g, '');
}

/**
 * A number as the file writes it, or undefined when it is not one (then the text is kept, and
 * validation names the field). With a decimal comma the dots group thousands, and the other way round.
 */
export function parseAmount(raw: string, decimalComma: boolean): number | undefined {
  let v = stripAmount(raw);
  if (v === '' || !/^-?[\d.,]+$/.test(v)) return undefined;
  v = decimalComma ? v.replace(/\./g, '').replace(',', '.') : v.replace(/,/g, '');
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
