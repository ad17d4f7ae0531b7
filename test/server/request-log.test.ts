import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestLog, requestLogOptions } from '../../src/server/plugins/request-log.ts';
import { secureLoggerOptions } from '../../src/server/plugins/security.ts';
import { AUTH } from '../helpers.ts';
import { makeConfiguredApp, type ConfiguredApp } from '../security/app.ts';

/**
 * Issue 13: a request's two log lines are written as pino would write them, without pino's per-line
 * serializers and redaction, and to the stream once per tick (pino's per-line work was 5 to 9 % of a
 * served recommendation's CPU). Same fields, same order, same redaction; they survive a process exit.
 */
const apps: ConfiguredApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

/** A stream that collects what is written; `flushable`: it has a flushSync, as pino's destination does. */
function collector(flushable = true) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  if (flushable) Object.assign(stream, { flushSync: () => undefined });
  return { stream, text: () => lines.join(''), writes: () => lines.length };
}
const tick = () => new Promise((r) => setImmediate(r));

async function appWith(logger: Record<string, unknown>) {
  const a = await makeConfiguredApp({}, { logger });
  apps.push(a);
  return a;
}

const REQUESTS: Array<{ url: string; headers?: Record<string, string> }> = [
  { url: '/health' },
  { url: '/v1/recommendations?userId=secret-person&n=3', headers: AUTH },
  { url: '/v1/users/ana%40example.com/export', headers: AUTH },
  { url: '/v1/no-such-route', headers: AUTH },
  { url: '/v1/items', headers: { authorization: 'Bearer afin_public_wrong' } },
];

/** The lines as objects, without what differs between two runs (the time, the measured duration). */
const comparable = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const o = JSON.parse(l);
      delete o.time;
      if ('responseTime' in o) o.responseTime = typeof o.responseTime;
      return o;
    });

describe('the request log', () => {
  it("writes each request's lines as pino does, field for field, redacted the same", async () => {
    const fast = collector();
    const slow = collector();
    // A `timestamp` option reshapes lines: Fastify's own controller then writes them through pino.
    const a = await appWith({ level: 'info', stream: fast.stream });
    const b = await appWith({ level: 'info', stream: slow.stream, timestamp: pino.stdTimeFunctions.epochTime });
    for (const app of [a, b])
      for (const [i, r] of REQUESTS.entries()) await app.app.inject({ method: 'GET', url: r.url, headers: { ...r.headers, 'x-request-id': `req-${i}` } });
    await tick();
    const got = comparable(fast.text());
    expect(got.length).toBeGreaterThanOrEqual(2 * REQUESTS.length);
    expect(got).toEqual(comparable(slow.text()));
    expect(got.filter((l) => l.msg === 'incoming request').map((l) => l.req.url)).toEqual([
      '/health',
      '/v1/recommendations?userId=*&n=*',
      '/v1/users/:id/export',
      '/v1/no-such-route',
      '/v1/items',
    ]);
    expect(got[0]).toMatchObject({ level: 30, reqId: 'req-0', req: { method: 'GET', remoteAddress: '127.0.0.0' }, pid: process.pid });
    for (const secret of ['secret-person', 'ana%40example.com', 'afin_public_wrong', 'test-root-key']) expect(fast.text()).not.toContain(secret);
  });

  it('writes once per tick, and any other line waits for the request lines before it', async () => {
    const out = collector();
    const a = await appWith({ level: 'info', stream: out.stream });
    await Promise.all([1, 2, 3].map((i) => a.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': `r${i}` } })));
    expect(out.text()).not.toContain('request completed'); // still waiting for the end of the tick
    a.app.log.warn('after the requests');
    await tick();
    const msgs = comparable(out.text()).map((l) => `${l.reqId ?? '-'} ${l.msg}`);
    expect(msgs.at(-1)).toBe('- after the requests');
    expect(msgs.filter((m) => m.endsWith('request completed'))).toHaveLength(3);
    expect(out.writes()).toBeLessThanOrEqual(2);
  });

  it('writes each line at once to a stream it could not flush at exit', async () => {
    const out = collector(false);
    const a = await appWith({ level: 'info', stream: out.stream });
    await a.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'now' } });
    expect(comparable(out.text()).map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
  });

  it('is used only for logger options it writes exactly as pino would', () => {
    const ok = requestLogOptions(secureLoggerOptions({ level: 'info', redact: ['req.headers.authorization', 'req.headers.cookie'] }));
    expect(ok.logController).toBeInstanceOf(RequestLog);
    expect(requestLogOptions(secureLoggerOptions({ level: 'info', redact: ['req.url'] })).logController).toBeUndefined();
    expect(requestLogOptions(secureLoggerOptions({ level: 'info', redact: ['*.statusCode'] })).logController).toBeUndefined();
    expect(requestLogOptions(secureLoggerOptions({ level: 'info', messageKey: 'message' })).logController).toBeUndefined();
    expect(requestLogOptions(secureLoggerOptions({ level: 'info', serializers: { res: () => ({}) } })).logController).toBeUndefined();
    expect(requestLogOptions(secureLoggerOptions(false)).logController).toBeUndefined();
  });

  it('reaches stdout when the process exits right after answering', () => {
    const dir = mkdtempSync(join(tmpdir(), 'afin-reqlog-'));
    try {
      const root = resolve(import.meta.dirname, '../..');
      const script = join(dir, 'exit.mts');
      writeFileSync(
        script,
        `import { Engine } from ${JSON.stringify(join(root, 'src/server/compose.ts'))};
import { buildApp } from ${JSON.stringify(join(root, 'src/server/app.ts'))};
import { SqliteStore } from ${JSON.stringify(join(root, 'src/store/sqlite/sqlite-store.ts'))};
const store = new SqliteStore(':memory:');
await store.migrate();
const engine = new Engine(store, { adminKey: 'exit-test-root-key-0123456789' }, { cacheMaxAgeMs: 0, retrainAfterErasureMs: null });
const app = await buildApp({ engine, logger: { level: 'info' } });
await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'last-words' } });
process.exit(0);
`,
      );
      const r = spawnSync(process.execPath, [join(root, 'bin/run-ts.mjs'), script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      const msgs = r.stdout
        .split('\n')
        .filter((l) => l.includes('last-words'))
        .map((l) => JSON.parse(l).msg);
      expect(msgs).toEqual(['incoming request', 'request completed']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
