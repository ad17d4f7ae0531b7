import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Issue 11: data outside the project is found at `../shared/data` relative to the project root (or
 * `AFIN_SHARED_DATA`), never at one machine's absolute path.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCANNED = ['src', 'bench', 'bin', 'test', 'web', 'stryker', 'README.md', 'SECURITY.md', 'package.json', 'stryker.config.mjs'];
// Built from parts so that this file does not match itself.
const MACHINE_PATH = new RegExp(`(^|[\\s'"\`(=])/(${['work', 'home', 'Users', 'root', 'mnt', 'srv', 'opt'].join('|')})/[\\w.-]+`, 'm');

function files(path: string): string[] {
  const full = join(ROOT, path);
  let s: ReturnType<typeof statSync>;
  try {
    s = statSync(full);
  } catch {
    return [];
  }
  if (s.isFile()) return /\.(ts|mts|mjs|js|json|md|html)$/.test(path) ? [path] : [];
  return readdirSync(full)
    .filter((n) => n !== 'node_modules')
    .flatMap((n) => files(join(path, n)));
}

describe('no absolute machine paths', () => {
  it('appear in the sources, benches, tests, docs or configuration', () => {
    const found = SCANNED.flatMap(files).flatMap((f) => {
      const m = MACHINE_PATH.exec(readFileSync(join(ROOT, f), 'utf8'));
      return m ? [`${relative(ROOT, join(ROOT, f))}: ${m[0].trim()}`] : [];
    });
    expect(found).toEqual([]);
  });

  it('the pattern finds one (so the test above can fail)', () => {
    expect(MACHINE_PATH.test(`const data = '${'/wo'}rk/shared/data';`)).toBe(true);
    expect(MACHINE_PATH.test("new URL('../../shared/data', import.meta.url)")).toBe(false);
  });
});
