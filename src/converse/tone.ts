import type { ToneRequest } from './nlu/slots.ts';
import type { Lang } from '../text/text.ts';
import type { Address, Tone } from './templates.ts';

/** Running evidence of how a person writes, kept in the session and in long-term memory. */
export interface WritingStats {
  messages: number;
  words: number;
  emoji: number;
  formal: number;
  informal: number;
  technical: number;
  usted: number;
  tu: number;
}

export const emptyStats = (): WritingStats => ({ messages: 0, words: 0, emoji: 0, formal: 0, informal: 0, technical: 0, usted: 0, tu: 0 });

const EMOJI = /\p{Extended_Pictographic}/u;
const INFORMAL = /\b(hey|hiya|yo|lol|cool|gonna|wanna|pls|plz|thx|guay|mola|porfa|tío|tia|vale vale|jaja|xd)\b|!!/i;
const FORMAL =
  /\b(would you|could you|kindly|please|dear|good (morning|afternoon|evening)|podría|quisiera|disculpe|sería tan amable|buenos días|buenas tardes)\b/i;
const TECHNICAL =
  /\b(spec|specs|specification|mah|hz|khz|dpi|ghz|watts?|lumens|battery life|latency|codec|bluetooth \d|ip\d\d|gramos|autonomía|especificaciones|resolución|potencia|mm|cm)\b|(?<!\d)\d+\s?(gb|tb|mah|hz|w|mm)\b/i; // (?<!\d): tried once per run of digits, not from each digit to the run's end
const USTED = /\b(usted|ustedes|podría|quisiera|disculpe|le importa|me puede)\b/i;
const TU = /\b(tú|puedes|quieres|oye|tienes|sabes)\b/i;

/** Adds one message's evidence. */
export function observeWriting(stats: WritingStats, text: string, lang: Lang): WritingStats {
  const s = { ...stats };
  s.messages++;
  s.words += text.split(/\s+/).filter(Boolean).length;
  if (EMOJI.test(text)) s.emoji++;
  if (INFORMAL.test(text)) s.informal++;
  if (FORMAL.test(text)) s.formal++;
  if (TECHNICAL.test(text)) s.technical++;
  if (lang === 'es' && USTED.test(text)) s.usted++;
  if (lang === 'es' && TU.test(text)) s.tu++;
  return s;
}

/** The tone that suits how the person writes: technical talk, terse messages, or relaxed chat. */
export function learnedTone(s: WritingStats): Tone {
  if (s.messages === 0) return 'informal';
  if (s.technical / s.messages >= 0.34) return 'technical';
  const avg = s.words / s.messages;
  if (s.emoji + s.informal > 0) return 'informal';
  // Short answers to questions are natural; only a run of terse messages says "keep it short".
  if (s.messages >= 5 && avg <= 2.5) return 'direct';
  return 'informal';
}

export function learnedAddress(s: WritingStats): Address {
  return s.usted > s.tu || (s.formal > s.informal && s.usted >= s.tu && s.formal > 0) ? 'usted' : 'tu';
}

/** An explicit request ("be brief", "háblame de tú") as a tone and/or address change. */
export function requestedStyle(request: ToneRequest | undefined): { tone?: Tone; address?: Address } {
  switch (request) {
    case 'brief':
      return { tone: 'direct' };
    case 'detailed':
    case 'technical':
      return { tone: 'technical' };
    case 'informal':
    case 'simple':
      return { tone: 'informal', address: 'tu' };
    case 'formal':
      return { address: 'usted' };
    default:
      return {};
  }
}

/** A trait such as `tone: "technical"` set on the user overrides what is learned. */
export function toneFromTrait(trait: unknown): Tone | undefined {
  return trait === 'technical' || trait === 'informal' || trait === 'direct' ? trait : undefined;
}
