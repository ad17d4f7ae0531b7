import { ANON_PREFIX } from './schemas.ts';

export { ANON_PREFIX };

/** The canonical person key for events: the user id, or a marked anonymous id until it is aliased. */
export function anonSubject(anonymousId: string): string {
  return ANON_PREFIX + anonymousId;
}

export function isAnonSubject(subject: string): boolean {
  return subject.startsWith(ANON_PREFIX);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * An id as the stores keep it: they write UTF-8, in which a lone surrogate (a valid JSON escape a client
 * can send) becomes U+FFFD. An event's subject takes this form, so that it names the rows stored for it,
 * and PostgreSQL hands rows back under it.
 */
export function storedId(id: string): string {
  return id.replace(LONE_SURROGATE, '\ufffd');
}
