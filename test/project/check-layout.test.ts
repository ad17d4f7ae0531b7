import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

/** Issue 12: `tools/check-layout.mjs` (run by `npm test`) must catch each kind of broken layout. */
const TOOL = fileURLToPath(new URL('../../tools/check-layout.mjs', import.meta.url));
const dirs: string[] = [];

function tree(files: Record<string, string>): string {
  const src = join(mkdtempSync(join(tmpdir(), 'afin-layout-')), 'src');
  dirs.push(dirname(src));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(src, path)), { recursive: true });
    writeFileSync(join(src, path), text);
  }
  return src;
}

function check(src: string) {
  const r = spawnSync(process.execPath, [TOOL, src], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const CLEAN = {
  'domain/ids.ts': 'export const X = 1;\n',
  'recommend/models/m.ts': "import { X } from '../../domain/ids.ts';\nexport const M = X;\n",
  'recommend/service.ts': "import { M } from './models/m.ts';\nexport const S = M;\n",
  'server/app.ts': "import { S } from '../recommend/service.ts';\nexport const A = S;\n",
  'cli/main.ts': "import { A } from '../server/app.ts';\nexport const C = A;\n",
};

describe('check-layout', () => {
  it('passes a tree whose imports go down the layers', () => {
    const r = check(tree(CLEAN));
    expect(r.out).toContain('no circles');
    expect(r.code).toBe(0);
  });

  it('fails on a file circle, naming the files', () => {
    const r = check(
      tree({
        ...CLEAN,
        'recommend/a.ts': "import { B } from './b.ts';\nexport const A = 1;\n",
        'recommend/b.ts': "import type { A } from './a.ts';\nexport const B = 2;\n",
      }),
    );
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/file circle: recommend\/a\.ts -> recommend\/b\.ts/);
  });

  it('fails on two slices that import each other', () => {
    const r = check(
      tree({
        ...CLEAN,
        'ingest/i.ts': "import { P } from '../profile/p.ts';\nexport const I = P;\n",
        'profile/p.ts': 'export const P = 1;\n',
        'profile/q.ts': "import { I } from '../ingest/i.ts';\nexport const Q = I;\n",
      }),
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain('slice circle: ingest <-> profile');
  });

  it('fails on an import from a lower layer up to server/', () => {
    const r = check(tree({ ...CLEAN, 'recommend/routes.ts': "import type { A } from '../server/app.ts';\nexport type R = A;\n" }));
    expect(r.code).toBe(1);
    expect(r.out).toContain('recommend/routes.ts: imports server/app.ts (src/server/ is above src/recommend/)');
  });

  it('fails on a pure core that reaches the disk', () => {
    const r = check(tree({ ...CLEAN, 'recommend/models/io.ts': "import { readFileSync } from 'node:fs';\nexport const R = readFileSync;\n" }));
    expect(r.code).toBe(1);
    expect(r.out).toContain('recommend/models/io.ts: a pure core imports I/O (fs)');
  });

  it('fails on a folder of src/ that has no layer', () => {
    const r = check(tree({ ...CLEAN, 'widgets/w.ts': 'export const W = 1;\n' }));
    expect(r.code).toBe(1);
    expect(r.out).toContain('src/widgets/ has no layer');
  });
});
