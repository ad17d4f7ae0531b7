/**
 * The end-to-end browser harness: a real Afín server on a free port with the demo store loaded, and
 * Debian's Chromium driven by playwright-core (no browser download: `npx playwright install` cannot
 * reach its hosts here). Used by the widget, SDK and dashboard tests:
 *
 * ```ts
 * const server = await startDemoServer();
 * const browser = await launchChromium();
 * const page = await browser.newPage();
 * await page.goto(`${server.url}/examples/shop#key=${server.adminKey}`);
 * await saveScreenshot(page, 'shop');
 * expect(seriousViolations(await axeCheck(page, 'afin-chat'))).toEqual([]);
 * ```
 *
 * Screenshots land in `.tmp/screenshots/` (git-ignored; CI writes its test report to `.tmp/` too).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { describe, it } from 'vitest';
import { loadDemo } from '../../src/cli/commands/demo.ts';
import { loadConfig } from '../../src/config.ts';
import { Engine } from '../../src/server/compose.ts';
import { buildApp } from '../../src/server/app.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where screenshots are saved. */
export const SCREENSHOT_DIR = join(ROOT, '.tmp', 'screenshots');

/** Debian's Chromium, if installed (`apt-get install chromium`; `.ci/run` does). */
export const CHROMIUM_PATH = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/**
 * `describe` when Chromium is installed; otherwise one skipped suite that says plainly why it did not
 * run (the suite-not-run convention of the database and NATS tests).
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (CHROMIUM_PATH) {
    describe(name, body);
    return;
  }
  console.log(`Browser test "${name}" not run: install Debian's chromium (.ci/run does)`);
  describe.skip(`${name} (chromium not installed)`, () => {
    it.skip('needs chromium');
  });
}

export interface DemoServer {
  /** http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  /** The deployment's root key (admin of the `default` workspace). */
  adminKey: string;
  engine: Engine;
  /** A new key of this scope in the default workspace (its secret). */
  createKey(scope: 'public' | 'server' | 'admin', settings?: Record<string, unknown>): Promise<string>;
  /** A signed user token for `userId`, as the shop's backend mints it. */
  userToken(userId: string, ttlSeconds?: number): Promise<string>;
  /** Calls the API with the admin key; throws on a non-2xx answer. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export interface DemoServerOptions {
  seed?: number;
  items?: number;
  shoppers?: number;
  weeks?: number;
  adminKey?: string;
}

/**
 * An Engine with a small demo store (bilingual catalogue, simulated shoppers, trained models) and the
 * app listening on a free port of 127.0.0.1, on an embedded store in a temp folder removed on close.
 */
export async function startDemoServer(opts: DemoServerOptions = {}): Promise<DemoServer> {
  const dir = mkdtempSync(join(tmpdir(), 'afin-browser-'));
  const adminKey = opts.adminKey ?? 'browser-test-admin-key';
  const engine = await Engine.open({ ...loadConfig({}), dataDir: dir, databaseUrl: undefined, adminKey });
  try {
    await loadDemo(engine, { seed: opts.seed ?? 3, items: opts.items ?? 80, shoppers: opts.shoppers ?? 12, weeks: opts.weeks ?? 2, quiet: true });
  } catch (e) {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const app = await buildApp({ engine });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  return {
    url,
    adminKey,
    engine,
    api,
    async createKey(scope, settings = {}) {
      return (await api<{ key: string }>('POST', '/v1/keys', { scope, name: `browser test ${scope}`, ...settings })).key;
    },
    async userToken(userId, ttlSeconds = 3600) {
      return (await api<{ token: string }>('POST', `/v1/users/${encodeURIComponent(userId)}/token`, { ttlSeconds })).token;
    },
    async close() {
      await app.close();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Headless Debian Chromium without the sandbox (tests run as root), with nothing phoning home. */
export async function launchChromium(): Promise<Browser> {
  if (!CHROMIUM_PATH) throw new Error('chromium is not installed (apt-get install chromium)');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/**
 * Collects what a page reports as broken: uncaught errors and console errors. Read `errors` at the end
 * of a test and expect it empty.
 */
export function watchPage(page: Page): { errors: string[] } {
  const out = { errors: [] as string[] };
  page.on('pageerror', (e) => out.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') out.errors.push(`console: ${m.text()}`);
  });
  return out;
}

/** Saves a full-page PNG as `.tmp/screenshots/<name>.png` and returns its path. */
export async function saveScreenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: opts.fullPage ?? false });
  return path;
}

let axeSource: string | null = null;

export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/**
 * Runs axe-core in the page (inside shadow roots too) on the element matching `selector`, or on the
 * whole document, and returns the violations. The source is evaluated through the DevTools protocol,
 * so the page's Content-Security-Policy does not block it.
 */
export async function axeCheck(page: Page, selector?: string): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(axeSource);
  return page.evaluate(async (sel) => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(sel ? { include: [[sel]] } : document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  }, selector ?? null);
}

/** The violations that block people: axe's `serious` and `critical`, as short lines for a readable failure. */
export function seriousViolations(violations: AxeViolation[]): string[] {
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}
