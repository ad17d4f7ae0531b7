import { ANON_PREFIX } from './schemas.ts';

export { ANON_PREFIX };

/** The canonical person key for events: the user id, or a marked anonymous id until it is aliased. */
export function anonSubject(anonymousId: string): string {
  return ANON_PREFIX + anonymousId;
}

export function isAnonSubject(subject: string): boolean {
  return subject.startsWith(ANON_PREFIX);
}
