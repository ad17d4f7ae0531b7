import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { prettyLine } from '../../src/server/plugins/pretty-log.ts';
import { AUTH, makeTestApp, type TestApp } from '../helpers.ts';

const BIN = new URL('../../bin/afin.mjs', import.meta.url).pathname;
const TIMEOUT = 60_000;

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function freshDir() {
  const d = mkdtempSync(join(tmpdir(), 'afin-first-hour-'));
  dirs.push(d);
  return d;
}

describe('GET / and /docs', () => {
  it('points to the docs and the demo without a key, and says how to get one', async () => {
    t = await makeTestApp();
    const r = await t.app.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.name).toBe('Afín');
    expect(body.links).toMatchObject({ docs: '/docs', demo: '/demo', dashboard: '/dashboard' });
    expect(body.keys).toContain('afin keys create --scope admin');
    const page = await t.app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<a href="/docs">');
    expect(page.body).toContain('<a href="/demo">');
    expect(page.body).toContain('<a href="/dashboard">');
    expect(page.body).toContain('<code>npx afin keys create --scope admin</code>');
  });

  it('/docs carries Afín’s name', async () => {
    t = await makeTestApp();
    const r = await t.app.inject({ method: 'GET', url: '/docs/' });
    const html = r.statusCode === 302 ? (await t.app.inject({ method: 'GET', url: r.headers.location as string })).body : r.body;
    expect(html).toContain('<title>Afín API</title>');
    expect(html).not.toContain('<title>Swagger UI</title>');
  });
});

describe('logs', () => {
  it('JSON lines carry the request id the answer carries', async () => {
    t = await makeTestApp();
    const lines: string[] = [];
    const stream = new Writable({
      write(c, _e, done) {
        lines.push(...c.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const app = await buildApp({ engine: t.engine, logger: { level: 'info', stream } });
    try {
      const r = await app.inject({ method: 'GET', url: '/v1/users/ana/profile', headers: { ...AUTH, 'x-request-id': 'trace-42' } });
      expect(r.headers['x-request-id']).toBe('trace-42');
      const mine = lines.map((l) => JSON.parse(l)).filter((o) => o.reqId === 'trace-42');
      expect(mine.map((o) => o.msg)).toEqual(['incoming request', 'request completed']);
      expect(lines.join('\n')).not.toContain('ana');
      // The same two lines, read by a person: one line, person id redacted.
      const open = new Map<string, string>();
      const pretty = lines.filter((l) => l.includes('trace-42')).map((l) => prettyLine(l, open));
      expect(pretty[0]).toBeNull();
      expect(pretty[1]).toMatch(/^\d\d:\d\d:\d\d INFO {2}GET \/v1\/users\/:id\/profile → 200 \d+\.\d ms \(req trace-42\)$/);
    } finally {
      await app.close();
    }
  });
});

function run(args: string[], env: Record<string, string>, untilOut?: RegExp): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, AFIN_PORT: '0', AFIN_ADMIN_KEY: '', AFIN_DATABASE_URL: '', AFIN_NATS_URL: '', AFIN_LLM_URL: '', AFIN_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      if (untilOut?.test(out)) child.kill('SIGTERM');
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('error', fail);
    child.on('close', (code) => done({ code, out, err }));
  });
}

describe('the CLI on a new or existing data folder', () => {
  it(
    '`afin train` on a new folder warns and, with no events, exits 1 saying so',
    async () => {
      const dir = join(freshDir(), 'mistyped');
      const r = await run(['train'], { AFIN_DATA_DIR: dir });
      expect(r.code).toBe(1);
      expect(r.err).toContain(`${dir} holds no Afín database yet`);
      expect(r.err).toMatch(/no events in workspace "default".*nothing to learn from/);
      expect(r.out).not.toMatch(/0 users × 0 items/);
      // Now the folder exists, with a database but still no events: no folder warning, same refusal.
      const again = await run(['train'], { AFIN_DATA_DIR: dir });
      expect(again.code).toBe(1);
      expect(again.err).not.toContain('holds no Afín database');
      expect(again.err).toContain('no events');
    },
    TIMEOUT,
  );

  it(
    'a restart on an existing folder prints no key but says how to get one',
    async () => {
      const dir = freshDir();
      const first = await run(['serve'], { AFIN_DATA_DIR: dir }, /Root admin key[^\n]*\n/);
      expect(first.out).toMatch(/Root admin key \(shown once, store it now\): afin_admin_/);
      expect(first.out).not.toContain('afin keys create');
      const second = await run(['serve'], { AFIN_DATA_DIR: dir }, /AFIN_ADMIN_KEY\.\n/);
      expect(second.out).not.toContain('Root admin key');
      expect(second.out).toContain('already has its root key');
      expect(second.out).toContain('`npx afin keys create --scope admin`');
    },
    TIMEOUT,
  );
});
