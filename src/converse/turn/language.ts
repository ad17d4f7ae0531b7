/**
 * The language of the reply. An explicit request to switch ("can you speak English?", "respóndeme
 * en español") always wins and is remembered with the session; a clear, full sentence in the other
 * language switches; short or ambiguous messages keep the conversation's language. The profile's
 * `language` trait is where a conversation starts, not a lock.
 */
import type { Understanding } from '../nlu/index.ts';
import type { Lang } from '../../text/text.ts';

/** A message this long and this sure of its language is a clear sentence in it. */
const CLEAR_WORDS = 4;
const CLEAR_CONFIDENCE = 0.9;

export function replyLanguage(u: Understanding, opts: { explicit: Lang | null; trait?: Lang; session: Lang | null }): Lang {
  if (opts.explicit) return opts.explicit;
  if (!opts.trait) return u.language;
  const clear = u.detected.confidence >= CLEAR_CONFIDENCE && u.text.trim().split(/\s+/).length >= CLEAR_WORDS;
  return clear ? u.detected.language : (opts.session ?? opts.trait);
}
