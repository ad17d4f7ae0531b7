// The client (/sdk.js) in Chromium on the example shop: events reach the engine; events that could
// not be sent wait in localStorage and arrive after a reload; a page closed before the timed flush
// still delivers its events (keepalive on page hide); the consent gate stores nothing before opt-in.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type DemoServer, describeInBrowser, launchChromium, saveScreenshot, startDemoServer, watchPage } from './harness.ts';

describeInBrowser('the client in the browser', () => {
  let server: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer({ items: 60, shoppers: 8 }), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function shop(page: Page) {
    await page.goto(`${server.url}/examples/shop#key=${server.adminKey}&lang=en`);
    await page.locator('.product button.primary').first().waitFor();
  }

  const visitor = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('afin.anonymousId') ?? 'null') as string);
  const queued = (page: Page) => page.evaluate(() => (JSON.parse(localStorage.getItem('afin.queue') ?? '[]') as unknown[]).length);
  const eventsOf = (anonymousId: string) => server.engine.store.eventsOf('default', `anon:${anonymousId}`, 1000);

  async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
    const end = Date.now() + ms;
    let v = await read();
    while (!ok(v) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      v = await read();
    }
    return v;
  }

  it("sends the page's events to the engine, with the visitor's anonymous id and the recommendation they came from", async () => {
    const page = await browser.newPage();
    const watch = watchPage(page);
    await shop(page);
    await page.locator('.product button').first().click(); // View
    await page.locator('.product button.primary').nth(1).click(); // Add to cart
    const id = await visitor(page);
    expect(id).toMatch(/^anon-/);
    const evs = await eventually(
      () => eventsOf(id),
      (e) => e.length >= 2,
    );
    expect(evs.map((e) => e.type).sort()).toEqual(['add_to_cart', 'view']);
    expect(evs.every((e) => e.channel === 'web' && e.recommendationId?.startsWith('rec_'))).toBe(true);
    expect((evs.find((e) => e.type === 'view')?.properties as { url?: string } | undefined)?.url).toContain('/examples/shop');
    // Stored by the engine, then dropped from the page's queue once the answer is read.
    expect(
      await eventually(
        () => queued(page),
        (n) => n === 0,
      ),
    ).toBe(0);
    expect(watch.errors).toEqual([]);
    await page.close();
  }, 60_000);

  it('keeps events it could not send in localStorage and sends them after a reload', async () => {
    const page = await browser.newPage();
    await shop(page);
    // The API unreachable for events: the click is queued, retried, and kept.
    await page.route('**/v1/events', (route) => route.abort('internetdisconnected'));
    await page.locator('.product button.primary').first().click();
    await page.locator('.product button.primary').nth(2).click();
    await page.waitForTimeout(1500);
    expect(await queued(page)).toBe(2);
    const id = await visitor(page);
    expect(await eventsOf(id)).toEqual([]);
    await saveScreenshot(page, 'sdk-offline-queue');

    await page.unroute('**/v1/events');
    await page.reload();
    const evs = await eventually(
      () => eventsOf(id),
      (e) => e.length >= 2,
    );
    expect(evs.map((e) => e.type)).toEqual(['add_to_cart', 'add_to_cart']);
    expect(
      await eventually(
        () => queued(page),
        (n) => n === 0,
      ),
    ).toBe(0);
    await page.close();
  }, 60_000);

  it('delivers events when the page is left before the timed flush (keepalive on page hide)', async () => {
    const page = await browser.newPage();
    await shop(page);
    const id = await visitor(page);
    // A flush waits a second for more events; leaving at once leaves only the page-hide request.
    await page.evaluate(() => {
      (window as unknown as { afin: { track(t: string, f: object): boolean } }).afin.track('add_to_cart', { itemId: 'never-flushed-by-timer' });
    });
    await page.goto('about:blank');
    const evs = await eventually(
      () => eventsOf(id),
      (e) => e.some((x) => x.itemId === 'never-flushed-by-timer'),
    );
    expect(evs.map((e) => e.itemId)).toContain('never-flushed-by-timer');
    await page.close();
  }, 60_000);

  it('with opt-in required, stores and sends nothing before consent', async () => {
    const page = await browser.newPage();
    const seen: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/v1/events')) seen.push(r.url());
    });
    await shop(page);
    await page.evaluate(() => localStorage.clear());
    const key = await server.createKey('public');
    // As a string: vitest would rewrite a dynamic import written in the test's own code.
    const out = (await page.evaluate(`(async (k) => {
      const { createClient } = await import('/sdk.js');
      const c = createClient({ key: k, consent: { required: true }, flushInterval: 10 });
      const sent = c.track('view', { itemId: 'x' });
      // The widget of a shop that asks for opt-in chats without storing the visitor's id.
      const w = document.createElement('afin-chat');
      w.setAttribute('public-key', k);
      w.setAttribute('consent-required', '');
      document.body.append(w);
      w.open();
      for (let i = 0; i < 200 && !w.shadowRoot.querySelector('.msg.bot'); i++) await new Promise((r) => setTimeout(r, 50));
      const chatted = Boolean(w.shadowRoot.querySelector('.msg.bot:not(.error)'));
      await new Promise((r) => setTimeout(r, 300));
      const before = Object.keys(localStorage).filter((x) => x.startsWith('afin.'));
      c.setConsent({ profiling: true });
      c.track('view', { itemId: 'x' });
      await c.flush();
      return { sent, chatted, before, after: Object.keys(localStorage).filter((x) => x.startsWith('afin.')).sort() };
    })(${JSON.stringify(key)})`)) as { sent: boolean; chatted: boolean; before: string[]; after: string[] };
    expect(out.sent).toBe(false);
    expect(out.chatted).toBe(true);
    expect(out.before).toEqual([]);
    expect(out.after).toEqual(['afin.anonymousId', 'afin.consent', 'afin.queue']);
    expect(seen).toHaveLength(1);
    await page.close();
  }, 60_000);
});
