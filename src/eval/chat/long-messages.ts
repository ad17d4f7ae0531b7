/**
 * The worst chat messages we could construct for the assistant's text handling: long runs of what its
 * patterns look for (numbers with separators, number words, price cues, negations, ordinals, typo
 * candidates), and what they skip (spaces, emoji, one endless word). Each pattern repeats to any length,
 * so a test or a benchmark can compare 1,000 with 4,000 characters: work that grows faster than the
 * message shows as a ratio far above 4.
 */
export const LONG_MESSAGE_PATTERNS: Readonly<Record<string, { unit: string; head?: string; tail?: string }>> = {
  dots: { unit: '1.', tail: ' eur' },
  commas: { unit: '1,', tail: ' €' },
  separators: { unit: '12.345,', tail: ' euros' },
  mixedSeparators: { unit: '1.2,3 ' },
  spacedDigits: { unit: '1 ', tail: ' eur' },
  digitRun: { unit: '1234567890', tail: 'gb' },
  euroSigns: { unit: '€1' },
  between: { unit: 'between 1 and ' },
  entre: { unit: 'entre 1 y ' },
  under: { unit: 'under 5 ' },
  rangeDash: { unit: '1-', tail: ' €' },
  numberWords: { unit: 'fifty ', tail: 'euros' },
  numberWordsEs: { unit: 'ciento cincuenta y ', tail: 'euros' },
  thousands: { unit: '1k ', tail: 'eur' },
  nos: { unit: 'no ' },
  nada: { unit: 'nada de ' },
  negatedColours: { unit: 'no red ' },
  ordinals: { unit: 'the second one ' },
  compare: { unit: 'compare 1 and 2 ' },
  sizes: { unit: 'size 42 ' },
  typoCandidates: { unit: 'hedphones ' },
  distinctWords: { unit: 'qwrtzp ' },
  longWord: { unit: 'a' },
  apostrophes: { unit: "a'" },
  accents: { unit: 'ñáéíóú ' },
  emoji: { unit: '😀' },
  spaces: { head: 'under', unit: ' ', tail: '5 eur' },
  punctuation: { unit: '¿¡!?.,;' },
};

/** A message of exactly `length` UTF-16 units (emoji rounded down to whole characters) made of one pattern. */
export function longMessage(name: string, length: number): string {
  const p = LONG_MESSAGE_PATTERNS[name];
  if (!p) throw new Error(`no long-message pattern "${name}"`);
  const head = p.head ?? '';
  const tail = p.tail ?? '';
  const body = head + p.unit.repeat(Math.ceil(length / p.unit.length)).slice(0, length - tail.length - head.length);
  // Never split a surrogate pair: the chat refuses nothing for it, but the length would be off by one.
  const whole = /[\uD800-\uDBFF]$/.test(body) ? body.slice(0, -1) : body;
  // Distinct words, so that a per-message memo of repeated words is not what keeps it fast.
  const text = p.unit === 'qwrtzp ' ? whole.replace(/qwrtzp/g, (_, k: number) => `qw${k.toString(36)}zp`).slice(0, whole.length) : whole;
  return `${text}${tail}`.trim() || 'x';
}
