import { existsSync, statSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { axeCheck, type DemoServer, describeInBrowser, launchChromium, saveScreenshot, seriousViolations, startDemoServer, watchPage } from './harness.ts';

describeInBrowser('the browser harness', () => {
  let server: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer({ items: 40, shoppers: 6, weeks: 1 }), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the demo store, keys and user tokens', async () => {
    const shoppers = await server.api<{ shoppers: unknown[] }>('GET', '/v1/demo/shoppers');
    expect(shoppers.shoppers).toHaveLength(6);
    const pub = await server.createKey('public');
    const res = await fetch(`${server.url}/v1/recommendations?userId=u-001&n=3`, { headers: { authorization: `Bearer ${pub}` } });
    expect(res.status).toBe(200);
    expect(await server.userToken('u-001')).toMatch(/^ut1\./);
  });

  it('drives Chromium, saves a screenshot, reports page errors and runs axe-core', async () => {
    const page = await browser.newPage();
    const watch = watchPage(page);
    await page.goto(`${server.url}/demo#key=${server.adminKey}&user=u-001`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const path = await saveScreenshot(page, 'harness-demo');
    expect(existsSync(path) && statSync(path).size > 1000).toBe(true);

    // axe finds a planted serious violation (a button with no name)...
    await page.evaluate(() => {
      const b = document.createElement('button');
      b.id = 'planted';
      document.body.append(b);
    });
    const planted = seriousViolations(await axeCheck(page, '#planted'));
    expect(planted.join('\n')).toContain('button-name');
    // ...and the page's own errors are collected.
    await page.evaluate(() => setTimeout(() => JSON.parse('{'), 0));
    await page.waitForTimeout(50);
    expect(watch.errors.join('\n')).toContain('pageerror');
    await page.close();
  }, 60_000);
});
