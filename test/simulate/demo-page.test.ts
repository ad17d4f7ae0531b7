import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoShopperSummary, generateDemo } from '../../src/simulate/index.ts';

/**
 * The demo page runs in a browser; here its script runs against a minimal fake DOM and a fake
 * `fetch`, enough to check what it requests, that it sends the key, and what text it renders.
 */
const html = readFileSync(new URL('../../web/demo/index.html', import.meta.url), 'utf8');
const script = /<script>([\s\S]*)<\/script>/.exec(html)![1];

class FakeNode {
  childNodes: FakeNode[] = [];
  parentNode: FakeNode | null = null;
  get firstChild(): FakeNode | null {
    return this.childNodes[0] ?? null;
  }
  append(...nodes: FakeNode[]): void {
    for (const n of nodes) {
      if (!(n instanceof FakeNode)) throw new Error('append of a non-node: the page must create text nodes');
      n.parentNode?.removeChild(n);
      n.parentNode = this;
      this.childNodes.push(n);
    }
  }
  removeChild(n: FakeNode): FakeNode {
    this.childNodes = this.childNodes.filter((c) => c !== n);
    n.parentNode = null;
    return n;
  }
  get textContent(): string {
    return this.childNodes.map((c) => c.textContent).join(' ');
  }
  set textContent(v: string) {
    for (const c of this.childNodes) c.parentNode = null;
    this.childNodes = [];
    this.append(new FakeText(v));
  }
}
class FakeText extends FakeNode {
  constructor(readonly data: string) {
    super();
  }
  override get textContent(): string {
    return this.data;
  }
}
class FakeElement extends FakeNode {
  className = '';
  style: Record<string, string> = {};
  value = '';
  attributes = new Map<string, string>();
  listeners = new Map<string, Array<(ev: unknown) => void>>();
  constructor(readonly tagName: string) {
    super();
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  addEventListener(type: string, fn: (ev: unknown) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  fire(type: string): void {
    for (const fn of this.listeners.get(type) ?? []) fn({ preventDefault() {} });
  }
  focus(): void {}
  set innerHTML(_v: string) {
    throw new Error('innerHTML must not be used');
  }
  findAll(pred: (e: FakeElement) => boolean): FakeElement[] {
    const out: FakeElement[] = [];
    for (const c of this.childNodes) {
      if (c instanceof FakeElement) {
        if (pred(c)) out.push(c);
        out.push(...c.findAll(pred));
      }
    }
    return out;
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('web/demo/index.html', () => {
  it('is self-contained and builds the page from text, never HTML', () => {
    expect(html).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('lists shoppers, shows recommendations with reasons and the profile, always sending the key', async () => {
    const demo = generateDemo({ seed: 5, now: Date.UTC(2025, 0, 1), items: 30, shoppers: 4, weeks: 2 });
    const summaries = demo.shoppers.map(demoShopperSummary);
    summaries.push({ ...summaries[0], id: 'u-evil', name: '<img src=x onerror=alert(1)>' });
    const first = demo.catalog[0];
    const calls: Array<{ url: string; auth: string | undefined }> = [];
    const bodies: Record<string, unknown> = {
      '/v1/demo/shoppers': { shoppers: summaries },
      [`/v1/users/${summaries[0].id}/profile`]: {
        funnelStage: 'buyer',
        topCategories: [{ category: 'sport', score: 0.8 }],
        segments: ['bargain-hunters'],
        nested: { deep: true },
      },
      [`/v1/recommendations?userId=${summaries[0].id}&n=10`]: {
        recommendationId: 'r1',
        personalized: true,
        model: 'ease',
        items: [
          { id: first.id, score: 1.25, reasons: ['because you viewed Running Shoes'] },
          { id: 'p-x', score: 0.5, reasons: ['popular'], title: 'Given title', price: 12, categories: ['home'] },
        ],
      },
      [`/v1/items/${first.id}`]: first,
    };
    const fetch = async (url: string, init: { headers: Record<string, string> }) => {
      calls.push({ url, auth: init.headers.Authorization });
      const body = bodies[url];
      return body === undefined
        ? { ok: false, status: 404, statusText: 'Not Found', json: async () => ({ error: { code: 'not_found', message: 'no such thing' } }) }
        : { ok: true, status: 200, statusText: 'OK', json: async () => structuredClone(body) };
    };
    const app = new FakeElement('MAIN');
    const document = {
      getElementById: (id: string) => (id === 'app' ? app : null),
      createElement: (tag: string) => new FakeElement(tag.toUpperCase()),
      createTextNode: (text: string) => new FakeText(text),
    };
    const location = { hash: '#key=k-123' };
    const history = {
      replaceState: (_s: unknown, _t: string, url: string) => {
        location.hash = url;
      },
    };
    const window = { addEventListener() {} };
    new Function('window', 'document', 'location', 'history', 'fetch', 'Node', script)(window, document, location, history, fetch, FakeNode);

    for (let i = 0; i < 5; i++) await tick();
    const buttons = app.findAll((e) => e.tagName === 'BUTTON');
    expect(buttons).toHaveLength(summaries.length);
    expect(app.textContent).toContain('<img src=x onerror=alert(1)>');

    buttons[0].fire('click');
    for (let i = 0; i < 10; i++) await tick();
    const text = app.textContent;
    expect(text).toContain(summaries[0].taste);
    expect(text).toContain(first.title);
    expect(text).toContain('Given title');
    expect(text).toContain('because you viewed Running Shoes');
    expect(text).toContain('score 1.25');
    expect(text).toContain('buyer');
    expect(text).toContain('sport (0.8)');
    expect(text).toContain('bargain-hunters');
    expect(text).toContain('model: ease');
    expect(app.findAll((e) => e.tagName === 'ARTICLE')).toHaveLength(2);
    expect(location.hash).toContain(`user=${summaries[0].id}`);

    expect(calls.map((c) => c.url)).toEqual(expect.arrayContaining(Object.keys(bodies)));
    expect(calls.some((c) => c.url === '/v1/items/p-x')).toBe(false);
    for (const c of calls) expect(c.auth).toBe('Bearer k-123');
  });
});
