// The chat widget on the example shop in Debian's Chromium, against a real server with the demo store:
// conversations in Spanish and English with product cards, quick replies, add-to-cart reaching the
// engine, the "your data" menu with a user token, in-store purchases known on the web, keyboard use,
// and axe-core on the widget.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChatReply } from '../../src/client/index.js';
import { axeCheck, type DemoServer, describeInBrowser, launchChromium, saveScreenshot, seriousViolations, startDemoServer, watchPage } from './harness.ts';

interface PosScript {
  postStorePurchases(o: { baseUrl: string; key: string; userId: string; count?: number }): Promise<{ bought: Array<{ id: string; title: string }> }>;
}

describeInBrowser('the chat widget on the example shop', () => {
  let server: DemoServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startDemoServer(), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens the shop (as `user`, or a new visitor), records the widget's answers, opens the widget. */
  async function openShop(hash: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 820 } });
    const watch = watchPage(page);
    await page.goto(`${server.url}/examples/shop#key=${server.adminKey}&${hash}`);
    await page.locator('afin-chat .launcher').waitFor();
    await page.evaluate(() => {
      const w = window as unknown as { replies: unknown[] };
      w.replies = [];
      document.querySelector('afin-chat')!.addEventListener('afin:reply', (e) => w.replies.push((e as CustomEvent).detail));
    });
    await page.locator('afin-chat .launcher').click();
    await page.locator('afin-chat .msg.bot').first().waitFor();
    return { page, errors: watch.errors };
  }

  /** Types a message, waits for the answer, and returns it as the API sent it. */
  async function say(page: Page, text: string): Promise<ChatReply> {
    const before = await page.evaluate(() => (window as unknown as { replies: unknown[] }).replies.length);
    await page.locator('afin-chat input').fill(text);
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => (window as unknown as { replies: unknown[] }).replies.length > n, before, { timeout: 45_000 });
    return page.evaluate(() => (window as unknown as { replies: ChatReply[] }).replies.at(-1)!);
  }

  /** The cards under the last answer, as shown. */
  const lastCards = (page: Page) =>
    page.evaluate(() => {
      const root = document.querySelector('afin-chat')!.shadowRoot!;
      const lists = root.querySelectorAll('.cards');
      const ul = lists[lists.length - 1];
      return [...(ul?.querySelectorAll('.card') ?? [])].map((c) => ({
        title: c.querySelector('h3')?.textContent ?? '',
        price: c.querySelector('.price')?.textContent ?? '',
        reason: c.querySelector('.reason')?.textContent ?? '',
        button: c.querySelector('button')?.textContent ?? '',
      }));
    });

  async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
    const end = Date.now() + ms;
    let v = await read();
    while (!ok(v) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      v = await read();
    }
    return v;
  }

  it('holds a conversation in Spanish with product cards, quick replies and add to cart reaching the engine', async () => {
    const { page, errors } = await openShop('user=u-002&lang=es');
    expect(await page.locator('afin-chat form button').textContent()).toBe('Enviar');
    const r = await say(page, 'Hola, busco unas zapatillas para correr por menos de 80 euros');
    expect(r.language).toBe('es');
    expect(r.items.length).toBeGreaterThan(0);
    const cards = await lastCards(page);
    expect(cards.map((c) => c.title)).toEqual(r.items.map((i) => i.title));
    for (const c of cards) {
      expect(c.price).toMatch(/\d+,\d\d\s?€/);
      expect(c.reason.length).toBeGreaterThan(0);
      expect(c.button).toBe('Añadir al carrito');
    }
    // The cards of this answer: an opener or a later answer may show cards of their own.
    const answerCards = page.locator('afin-chat .cards').nth((await page.locator('afin-chat .cards').count()) - 1);
    // The quick replies are the answer's suggestions; tapping one sends it.
    const quick = page.locator('afin-chat .quick button');
    expect(await quick.allTextContents()).toEqual(r.suggestions.slice(0, 4));
    const tapped = r.suggestions[0];
    const before = await page.evaluate(() => (window as unknown as { replies: unknown[] }).replies.length);
    await quick.first().click();
    await page.waitForFunction((n) => (window as unknown as { replies: unknown[] }).replies.length > n, before);
    expect(await page.locator('afin-chat .msg.user').last().textContent()).toContain(tapped);

    // "Add to cart" on a card: the widget emits afin:add-to-cart, the shop records it with the client.
    await answerCards.locator('.card button').first().click();
    await page.getByText('Carrito: 1').waitFor();
    const carted = await eventually(
      () => server.engine.store.eventsOf('default', 'u-002', 1000),
      (evs) => evs.some((e) => e.type === 'add_to_cart' && (e.properties as { from?: string } | null)?.from === 'chat'),
    );
    expect(carted.find((e) => e.type === 'add_to_cart' && (e.properties as { from?: string } | null)?.from === 'chat')?.itemId).toBe(r.items[0].id);
    await saveScreenshot(page, 'widget-es');
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('holds a conversation in English for a new visitor, works from the keyboard and has no serious axe violations', async () => {
    const { page, errors } = await openShop('lang=en');
    // Opening puts the focus in the message field.
    expect(await page.evaluate(() => document.querySelector('afin-chat')!.shadowRoot!.activeElement?.id)).toBe('input');
    const r = await say(page, "Hi, I'm looking for a warm jacket for hiking");
    expect(r.language).toBe('en');
    expect(r.items.length).toBeGreaterThan(0);
    const cards = await lastCards(page);
    expect(cards.map((c) => c.title)).toEqual(r.items.map((i) => i.title));
    expect(cards[0].button).toBe('Add to cart');
    // The tone the assistant uses for this person, in the header.
    const tones: Record<string, string> = { informal: 'Friendly tone', technical: 'Technical tone', direct: 'Direct tone' };
    expect(await page.locator('afin-chat header .tone').textContent()).toBe(tones[r.tone]);
    expect(await page.locator('afin-chat .typing').isHidden()).toBe(true);
    await saveScreenshot(page, 'widget-en');

    expect(seriousViolations(await axeCheck(page, 'afin-chat'))).toEqual([]);

    // Escape closes the panel and gives the focus back to the launcher.
    await page.locator('afin-chat input').focus();
    await page.keyboard.press('Escape');
    expect(await page.locator('afin-chat [role=dialog]').isHidden()).toBe(true);
    expect(await page.evaluate(() => document.querySelector('afin-chat')!.shadowRoot!.activeElement?.className)).toBe('launcher');
    expect(await page.locator('afin-chat .launcher').getAttribute('aria-expanded')).toBe('false');
    // Without a user token there is no "your data" menu: the assistant cannot prove who it talks to.
    expect(await page.locator('afin-chat .privacy-btn').isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('shows the proactive opener over the launcher for a cart left behind, and opens on it', async () => {
    const item = (await server.api<{ items: Array<{ id: string; title: string }> }>('GET', '/v1/recommendations?userId=u-004&n=1')).items[0];
    await server.api('POST', '/v1/events', [{ type: 'add_to_cart', userId: 'u-004', itemId: item.id, timestamp: Date.now() - 3 * 3600_000 }]);
    const page = await browser.newPage({ viewport: { width: 1200, height: 820 } });
    const watch = watchPage(page);
    await page.goto(`${server.url}/examples/shop#key=${server.adminKey}&user=u-004&lang=en`);
    const teaser = page.locator('afin-chat .teaser');
    await teaser.waitFor();
    expect(await teaser.textContent()).toContain(item.title);
    expect(await page.locator('afin-chat .dot').isVisible()).toBe(true);
    await saveScreenshot(page, 'widget-opener');
    await teaser.click();
    expect(await page.locator('afin-chat [role=dialog]').isVisible()).toBe(true);
    expect(await page.locator('afin-chat .msg.bot').first().textContent()).toContain(item.title);
    expect(await page.locator('afin-chat .card h3').first().textContent()).toBe(item.title);
    expect(await teaser.isHidden()).toBe(true);
    expect(watch.errors).toEqual([]);
    await page.close();
  }, 90_000);

  it('with a user token: knows an in-store purchase, tells what it knows, and forgets on request', async () => {
    const pos = (await import(new URL('../../examples/shop/pos-purchases.mjs', import.meta.url).href)) as PosScript;
    const receipt = await pos.postStorePurchases({ baseUrl: server.url, key: server.adminKey, userId: 'u-003', count: 1 });
    const { page, errors } = await openShop('user=u-003&lang=en');
    const order = await say(page, 'Where is my order?');
    expect(order.intent).toBe('order_status');
    expect(order.reply).toContain(receipt.bought[0].title);

    await page.locator('afin-chat .privacy-btn').click();
    expect(await page.locator('afin-chat .privacy-btn').getAttribute('aria-expanded')).toBe('true');
    const before = await page.evaluate(() => (window as unknown as { replies: unknown[] }).replies.length);
    await page.locator('afin-chat .menu button', { hasText: 'What do you know about me?' }).click();
    await page.waitForFunction((n) => (window as unknown as { replies: unknown[] }).replies.length > n, before);
    const known = await page.evaluate(() => (window as unknown as { replies: ChatReply[] }).replies.at(-1)!);
    expect(known.intent).toBe('privacy_what_you_know');
    expect(known.reply).toMatch(/bought [1-9]/);

    await page.locator('afin-chat .privacy-btn').click();
    await page.locator('afin-chat .menu button', { hasText: 'Forget me' }).click();
    // A confirmation first, with the focus on it.
    await page.locator('afin-chat .menu button', { hasText: 'Yes, forget me' }).waitFor();
    await saveScreenshot(page, 'widget-forget-confirm');
    const n = await page.evaluate(() => (window as unknown as { replies: unknown[] }).replies.length);
    await page.locator('afin-chat .menu button', { hasText: 'Yes, forget me' }).click();
    await page.waitForFunction((k) => (window as unknown as { replies: unknown[] }).replies.length > k, n);
    const forgot = await page.evaluate(() => (window as unknown as { replies: ChatReply[] }).replies.at(-1)!);
    expect(forgot.intent).toBe('privacy_forget');
    const consent = await server.api<{ chatMemory: boolean }>('GET', '/v1/users/u-003/consent');
    expect(consent.chatMemory).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
