// The widget, the client and the example shop as served: no key, the right types and headers.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(async () => t?.close());

describe('the browser assets', () => {
  it('serves /widget.js and /sdk.js as written, to any site, without a key, cached briefly', async () => {
    for (const [url, file] of [
      ['/widget.js', '../../web/widget/afin-chat.js'],
      ['/sdk.js', '../../src/client/index.js'],
    ]) {
      const r = await t.app.inject({ method: 'GET', url, headers: { origin: 'https://shop.example' } });
      expect(r.statusCode, url).toBe(200);
      expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(r.headers['access-control-allow-origin']).toBe('*');
      expect(r.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(r.headers['cache-control']).toBe('public, max-age=300');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.body).toBe(readFileSync(new URL(file, import.meta.url), 'utf8'));
    }
  });

  it('serves the example shop as a page: its own scripts and calls only, never framed', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/examples/shop' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self' 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.body).toContain('<script src="/widget.js"');
    expect(r.body).toContain("from '/sdk.js'");
  });
});
