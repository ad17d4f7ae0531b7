import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/cli/commands/demo.ts';
import { loadConfig } from '../../src/config.ts';
import { Engine } from '../../src/server/compose.ts';
import { buildApp } from '../../src/server/app.ts';

const run = promisify(execFile);
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

if (!CHROMIUM) {
  console.log("Browser test of the demo page not run: install Debian's chromium (.ci/run does)");
  describe.skip('demo page in Chromium (chromium not installed)', () => {
    it.skip('needs chromium');
  });
} else {
  describe('the demo page in headless Chromium', () => {
    const dir = mkdtempSync(join(tmpdir(), 'afin-web-'));
    let engine: Engine;
    let url = '';
    let close: () => Promise<void>;
    beforeAll(async () => {
      engine = await Engine.open({ ...loadConfig({}), dataDir: dir, adminKey: 'web-test-key' });
      await loadDemo(engine, { seed: 3, items: 80, shoppers: 12, weeks: 2, quiet: true });
      const app = await buildApp({ engine });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const addr = app.server.address();
      url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
      close = async () => {
        await app.close();
        await engine.close();
      };
    }, 120_000);
    afterAll(async () => {
      await close?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it("lists the shoppers and shows a picked shopper's recommendations with their reasons", async () => {
      const profileDir = mkdtempSync(join(tmpdir(), 'afin-chromium-'));
      try {
        const { stdout } = await run(
          CHROMIUM!,
          [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            `--user-data-dir=${profileDir}`,
            '--virtual-time-budget=8000',
            '--dump-dom',
            `${url}/demo#key=web-test-key&user=u-001`,
          ],
          { timeout: 60_000, maxBuffer: 20 * 1024 * 1024 },
        );
        const shoppers = (await (await fetch(`${url}/v1/demo/shoppers`, { headers: { authorization: 'Bearer web-test-key' } })).json()).shoppers as Array<{
          id: string;
          name: string;
        }>;
        expect(shoppers.length).toBe(12);
        for (const s of shoppers.slice(0, 3)) expect(stdout).toContain(s.name);
        const recs = await (await fetch(`${url}/v1/recommendations?userId=u-001&n=10`, { headers: { authorization: 'Bearer web-test-key' } })).json();
        const first = recs.items[0];
        expect(stdout).toContain(first.reasons[0].replace(/&/g, '&amp;'));
        expect(stdout).toContain(first.title.replace(/&/g, '&amp;'));
      } finally {
        rmSync(profileDir, { recursive: true, force: true });
      }
    }, 90_000);
  });
}
