import { describe, expect, it } from 'vitest';
import { ANON_PREFIX, anonSubject, isAnonSubject } from '../../src/domain/subjects.ts';

describe('subjects (src/domain/subjects.ts, once src/ingest/identity.ts)', () => {
  it('marks an anonymous visitor as a subject no user id can be', () => {
    expect(ANON_PREFIX).toBe('anon:');
    expect(anonSubject('v1')).toBe('anon:v1');
    expect(isAnonSubject(anonSubject('v1'))).toBe(true);
    expect(isAnonSubject('ana')).toBe(false);
    // Only a leading mark counts.
    expect(isAnonSubject('x-anon:v1')).toBe(false);
  });
});
