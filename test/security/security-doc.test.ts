import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);

describe('SECURITY.md', () => {
  it('covers each of the ten OWASP API Security risks (2023), each with tests that exist', () => {
    const doc = readFileSync(new URL('SECURITY.md', root), 'utf8');
    for (let n = 1; n <= 10; n++) {
      const row = doc.split('\n').find((l) => l.startsWith(`| **API${n}:2023 `));
      expect(row, `API${n}:2023 row`).toBeDefined();
      const tests = [...row!.matchAll(/`(test\/[\w/.-]+\.ts)`/g)].map((m) => m[1]);
      expect(tests.length, `API${n}:2023 names a test`).toBeGreaterThan(0);
      for (const t of tests) expect(existsSync(new URL(t, root)), t).toBe(true);
    }
  });
});
