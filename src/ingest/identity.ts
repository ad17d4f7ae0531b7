/** The canonical person key for events: the user id, or a marked anonymous id until it is aliased. */
export const ANON_PREFIX = 'anon:';

export function anonSubject(anonymousId: string): string {
  return ANON_PREFIX + anonymousId;
}

export function isAnonSubject(subject: string): boolean {
  return subject.startsWith(ANON_PREFIX);
}
