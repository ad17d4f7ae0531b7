import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

describe('the chat widget script', () => {
  it('is under 30 KB gzipped, as one file with no imports', () => {
    const src = readFileSync(new URL('../../web/widget/afin-chat.js', import.meta.url));
    const gz = gzipSync(src, { level: 9 }).length;
    console.log(`widget.js: ${src.length} bytes, ${gz} gzipped`);
    expect(gz).toBeLessThan(30 * 1024);
    // One script tag: nothing else to fetch.
    expect(src.toString()).not.toMatch(/^\s*import\s|\bimport\(/m);
  });
});
