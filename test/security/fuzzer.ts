/**
 * A fast-check fuzzer over every route of the app: malformed, oversized, wrongly typed and hostile
 * (injection strings, deep nesting, huge numbers, invalid UTF-8) bodies, queries, paths and headers.
 * Shared by test/security/fuzz.test.ts (a few hundred cases) and bench/fuzz.ts (many more).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Engine } from '../../src/server/compose.ts';
import type { RouteInfo } from '../../src/server/plugins/security.ts';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';

export const HOSTILE_STRINGS = [
  "' OR '1'='1",
  "'; DROP TABLE events; --",
  '" OR ""="',
  '1; SELECT pg_sleep(5)',
  "\\'; DELETE FROM api_keys; --",
  '{"$gt": ""}',
  '{"$where": "sleep(1000)"}',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '%00',
  '\u0000',
  '\u0000admin',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as a literal string on purpose
  '${7*7}',
  '{{7*7}}',
  '#{7*7}',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '\ud800',
  '\udfff',
  '\uffff',
  '\u202e',
  '\ufeff',
  'Ω≈ç√∫˜µ≤≥÷',
  '田中さんにあげて下さい',
  '👩‍👩‍👧‍👦',
  'A'.repeat(300),
  'ñandú',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  'null',
  'true',
  'http://169.254.169.254/latest/meta-data/',
  'file:///etc/passwd',
  '\r\nSet-Cookie: x=1',
  'a\tb\nc',
  ' ',
  '',
];

export const FIELD_NAMES = [
  'id',
  'title',
  'description',
  'categories',
  'tags',
  'price',
  'currency',
  'attributes',
  'imageUrl',
  'language',
  'available',
  'messageId',
  'type',
  'userId',
  'anonymousId',
  'itemId',
  'value',
  'query',
  'channel',
  'recommendationId',
  'variant',
  'timestamp',
  'properties',
  'traits',
  'name',
  'role',
  'email',
  'scope',
  'allowedOrigins',
  'rateLimit',
  'personalization',
  'profiling',
  'marketing',
  'chatMemory',
  'source',
  'policyVersion',
  'reason',
  'model',
  'message',
  'sessionId',
  'workspace',
  'root',
  'hash',
  '__proto__',
  'constructor',
  'prototype',
];

export const QUERY_NAMES = [
  'userId',
  'anonymousId',
  'n',
  'context',
  'itemId',
  'category',
  'minPrice',
  'maxPrice',
  'exclude',
  'excludeSeen',
  'includePurchased',
  'model',
  'format',
  'limit',
  'since',
  'sessionId',
  'language',
  '__proto__',
];

const hostile = fc.constantFrom(...HOSTILE_STRINGS);
const text = fc.oneof(hostile, fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }));
const num = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1, -1, 1e100, -1e100, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, 8.64e15 + 1, 1001, 100, 101, 7, 5),
);
const leaf: fc.Arbitrary<unknown> = fc.oneof(text, num, fc.boolean(), fc.constant(null));
const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), text), tie('v'), { maxKeys: 4 }),
  ),
})).v;

/** An object shaped like a real body (known field names) with hostile or wrongly typed values. */
const shaped = fc.dictionary(fc.constantFrom(...FIELD_NAMES), value, { minKeys: 1, maxKeys: 6 });

/** `{"a":{"a":…}}`, `depth` objects deep, as JSON text (JSON.stringify overflows on the deep ones). */
export const nestedJson = (depth: number) => '{"a":'.repeat(Math.max(0, depth - 1)) + '{"a":1}' + '}'.repeat(Math.max(0, depth - 1));

/** Numbers as JSON text, including those JSON.stringify cannot write (`-0`) and those far out of range. */
export const EXTREME_NUMBERS = ['1e100', '-1e100', '-0', '1e308', '-1e308', '1e-320', '0', '7', '5', '9007199254740993', '1e12', '1000000000001'];

/** The quadratic-input shape from issue 8: a 4,000-character chat message of "1." repeated, then " eur". */
export const LONG_CHAT_MESSAGE = '1.'.repeat(1998) + ' eur';

/** A raw JSON text: deeply nested, huge numbers, broken syntax, or a valid value. */
const rawJson = fc.oneof(
  fc.integer({ min: 1, max: 20_000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
  fc.integer({ min: 1, max: 20_000 }).map((d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d)),
  fc.integer({ min: 1, max: 20_000 }).map((d) => `[{"type":"view","userId":"u1","itemId":"i1","properties":${nestedJson(d)}}]`),
  fc.integer({ min: 1, max: 20_000 }).map((d) => `[{"id":"i1","title":"Item 1","attributes":${nestedJson(d)}}]`),
  fc.constantFrom(...EXTREME_NUMBERS).map((n) => `[{"type":"rating","userId":"u1","itemId":"i1","value":${n}}]`),
  fc.constantFrom(
    '1e999999',
    '-1e999999',
    '123456789012345678901234567890',
    '[1e400]',
    '{"n": 1e400}',
    '{"__proto__": {"admin": true}}',
    '{"constructor": {"prototype": {"x": 1}}}',
    '{',
    '[',
    '{"a":1,}',
    "{'a':1}",
    'NaN',
    'undefined',
    '',
    '\u0000',
    '{"a":"\\ud800"}',
    '[{"type":"view","userId":"\\u0000"}]',
  ),
  value.map((v) => JSON.stringify(v) ?? 'null'),
  fc.integer({ min: 1001, max: 1200 }).map((n) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ type: 'view', userId: `u${i}`, itemId: 'i1' })))),
);

/**
 * Bodies aimed at one route each: free-form objects nested too deep inside otherwise valid elements
 * (the store serialises them), extreme numbers where a model reads them, and the worst chat input.
 */
export function targetedBodies(): Array<{ method: string; url: string; payload: string }> {
  const out: Array<{ method: string; url: string; payload: string }> = [];
  const good = (i: number) => JSON.stringify({ type: 'view', userId: `u${i % 8}`, itemId: `i${i % 12}`, properties: { n: i } });
  // Deep enough to overflow a recursive JSON.stringify (about 4,100 levels did), yet within the
  // fuzzing app's 64 KB body limit; test/server/hardening-ingest.test.ts sends 20,000 levels.
  for (const d of [8, 9, 64, 4_100, 10_000]) {
    out.push({ method: 'POST', url: '/v1/events', payload: `[{"type":"view","userId":"u1","itemId":"i1","properties":${nestedJson(d)}}]` });
    out.push({ method: 'PUT', url: '/v1/items', payload: `[{"id":"i1","title":"Item 1","attributes":${nestedJson(d)}}]` });
  }
  out.push({
    method: 'POST',
    url: '/v1/events',
    payload: `[${Array.from({ length: 300 }, (_, i) => good(i)).join(',')},{"type":"view","userId":"u1","itemId":"i1","properties":${nestedJson(4_100)}}]`,
  });
  out.push({
    method: 'POST',
    url: '/v1/events',
    payload: JSON.stringify([{ type: 'view', userId: 'u1', itemId: 'i1', properties: { big: 'x'.repeat(17_000) } }]),
  });
  for (const n of EXTREME_NUMBERS) {
    out.push({ method: 'POST', url: '/v1/events', payload: `[{"type":"rating","userId":"u2","itemId":"i2","value":${n}}]` });
    out.push({ method: 'POST', url: '/v1/events', payload: `[{"type":"purchase","userId":"u2","itemId":"i2","value":${n},"timestamp":${n}}]` });
    out.push({ method: 'PUT', url: '/v1/items', payload: `[{"id":"i2","title":"Item 2","price":${n}}]` });
    out.push({ method: 'PUT', url: '/v1/settings/ranking', payload: `{"eventWeights":{"view":${n}},"historyHalfLifeDays":${n}}` });
    out.push({ method: 'GET', url: `/v1/recommendations?userId=u2&maxPrice=${n}&minPrice=${n}`, payload: '' });
  }
  for (const ts of ['"-271821-04-20T00:00:00Z"', '"2020-02-30"', '"+275760-09-13T00:00:00.000Z"', '-1', '8640000000000001']) {
    out.push({ method: 'POST', url: '/v1/events', payload: `[{"type":"view","userId":"u3","itemId":"i3","timestamp":${ts}}]` });
  }
  // Segment-compatible tracking (issue 20): nesting, extreme amounts and times inside otherwise valid calls.
  const order = (products: string, extra = '') =>
    `{"batch":[{"type":"track","event":"Order Completed","userId":"u4","messageId":"o1"${extra},"properties":{"order_id":"o1","products":${products}}}]}`;
  out.push({ method: 'POST', url: '/v1/batch', payload: order(`[{"product_id":"i1","extra":${nestedJson(4_100)}}]`) });
  out.push({ method: 'POST', url: '/v1/identify', payload: `{"userId":"u4","traits":${nestedJson(4_100)}}` });
  for (const n of ['1e308', '-1e308', '1e-320', '9007199254740993']) {
    out.push({ method: 'POST', url: '/v1/batch', payload: order(`[{"product_id":"i1","price":${n},"quantity":${n}}]`) });
    out.push({ method: 'POST', url: '/v1/track', payload: `{"event":"Product Reviewed","userId":"u4","properties":{"product_id":${n},"rating":${n}}}` });
  }
  // A skew correction that would land before 1970 or after 9999: refused by ingest, never a crash.
  for (const [ts, sent] of [
    ['"2020-02-30"', '0'],
    ['0', '253402300799999'],
    ['253402300799999', '0'],
  ]) {
    out.push({ method: 'POST', url: '/v1/batch', payload: order('[{"product_id":"i1"}]', `,"timestamp":${ts},"sentAt":${sent}`) });
  }
  out.push({ method: 'POST', url: '/v1/chat', payload: JSON.stringify({ userId: 'u1', message: LONG_CHAT_MESSAGE }) });
  out.push({ method: 'POST', url: '/v1/chat', payload: JSON.stringify({ userId: 'u1', message: '1,'.repeat(1998) + ' €' }) });
  out.push({ method: 'POST', url: '/v1/chat', payload: JSON.stringify({ userId: 'anon:v1', message: 'what do you know about me?' }) });
  return out;
}

/** The targeted bodies, each sent with every kind of key. */
export function targetedRequests(keys: Record<'admin' | 'server' | 'public', string>, rootKey: string): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  for (const b of targetedBodies()) {
    for (const key of [rootKey, keys.server, keys.public]) {
      const headers: Record<string, string> = { authorization: `Bearer ${key}` };
      if (b.method !== 'GET') headers['content-type'] = 'application/json';
      out.push({
        route: `${b.method} ${b.url.split('?')[0]}`,
        method: b.method as 'GET',
        url: b.url,
        headers,
        ...(b.method !== 'GET' ? { payload: b.payload } : {}),
      });
    }
  }
  return out;
}

/** Bytes that are not valid UTF-8, inside something JSON-like. */
const invalidUtf8 = fc
  .uint8Array({ minLength: 1, maxLength: 32 })
  .map((b) => Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from(b), Buffer.from('"}')]));

const payloadArb: fc.Arbitrary<{ payload?: string | Buffer; contentType?: string }> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .oneof(shaped, fc.array(shaped, { maxLength: 5 }), value)
      .map((v) => ({ payload: JSON.stringify(v) ?? 'null', contentType: 'application/json' })),
  },
  { weight: 3, arbitrary: rawJson.map((p) => ({ payload: p, contentType: 'application/json' })) },
  { weight: 1, arbitrary: invalidUtf8.map((p) => ({ payload: p, contentType: 'application/json' })) },
  {
    weight: 1,
    arbitrary: fc.record({
      payload: fc.oneof(fc.string(), fc.constant('a=1&b=2')),
      contentType: fc.constantFrom(
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
        'application/xml',
        '',
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 70_000, max: 200_000 })
      .map((n) => ({ payload: JSON.stringify([{ id: 'big', title: 'x'.repeat(n) }]), contentType: 'application/json' })),
  },
  { weight: 2, arbitrary: fc.constantFrom(...targetedBodies().map((b) => b.payload)).map((p) => ({ payload: p, contentType: 'application/json' })) },
);

/** A path segment: printable, hostile, percent-encoded, malformed percent-encoding, overlong UTF-8, very long. */
const segment = fc.oneof(
  { weight: 3, arbitrary: text.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, 'x'))) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('%', '%ZZ', '%C0%AF', '%FF%FE', '%00', '%2e%2e', '..', '.', '%2F', 'a%20b', '%E2%80%AE', '%F0%9F%98%80', '%ED%A0%80'),
  },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 3000 }).map((n) => 'z'.repeat(n)) },
  { weight: 1, arbitrary: fc.constantFrom('i1', 'u1', 'ana', 'key_x', 'default') },
);

const queryArb = fc
  .array(
    fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...QUERY_NAMES) }, { weight: 1, arbitrary: text }), fc.oneof(text, num.map(String), segment)),
    { maxLength: 5 },
  )
  .map((pairs) =>
    pairs
      .map(
        ([k, v]) =>
          `${encodeURIComponent(k.replace(/[\ud800-\udfff]/g, 'x'))}=${typeof v === 'string' && /%/.test(v) ? v : encodeURIComponent(String(v).replace(/[\ud800-\udfff]/g, 'x'))}`,
      )
      .join('&'),
  );

export type Who = 'root' | 'admin' | 'server' | 'public' | 'none' | 'garbage' | 'other-workspace';

export interface FuzzRequest extends InjectOptions {
  route: string;
  url: string;
}

/** Requests against one route (or any route when `routes` has several). */
export function requestArb(routes: RouteInfo[], keys: Record<'admin' | 'server' | 'public', string>, rootKey: string): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      route: fc.constantFrom(...routes),
      params: fc.array(segment, { minLength: 4, maxLength: 4 }),
      query: fc.option(queryArb, { nil: undefined }),
      body: payloadArb,
      who: fc.constantFrom<Who>('root', 'root', 'admin', 'server', 'public', 'none', 'garbage', 'other-workspace'),
      extraHeaders: fc.option(
        fc.dictionary(
          fc.constantFrom('origin', 'afin-workspace', 'accept', 'x-forwarded-for', 'content-length'),
          fc.oneof(hostile, fc.constant('https://evil.example'), fc.constant('default')),
        ),
        { nil: undefined },
      ),
    })
    .map(({ route, params, query, body, who, extraHeaders }) => {
      let i = 0;
      const path = route.url.replace(/:\w+|\*/g, () => params[i++ % params.length]);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(extraHeaders ?? {})) if (/^[\t\x20-\x7e]*$/.test(v)) headers[k] = v;
      if (headers['content-length']) delete headers['content-length'];
      const key = who === 'root' ? rootKey : who === 'garbage' ? 'afin_admin_garbage' : who === 'none' || who === 'other-workspace' ? undefined : keys[who];
      if (key) headers.authorization = `Bearer ${key}`;
      if (who === 'other-workspace') {
        headers.authorization = `Bearer ${rootKey}`;
        headers['afin-workspace'] = 'no-such-workspace';
      }
      const hasBody = route.method !== 'GET' && route.method !== 'OPTIONS' && body.payload !== undefined;
      if (hasBody && body.contentType) headers['content-type'] = body.contentType;
      return {
        route: `${route.method} ${route.url}`,
        method: route.method as 'GET',
        url: query ? `${path}?${query}` : path,
        headers,
        ...(hasBody ? { payload: body.payload } : {}),
      };
    });
}

/** A digest of everything stored (except last-used times, which are written off the request path). */
export function storeDigest(store: SqliteStore): string {
  const h = createHash('sha256');
  const tables = (
    store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>
  ).map((r) => r.name);
  for (const t of tables) {
    const rows = store.db.prepare(`SELECT * FROM "${t}"`).all() as Array<Record<string, unknown>>;
    h.update(t);
    for (const r of rows) {
      if (t === 'api_keys') delete r.last_used_at;
      h.update(JSON.stringify(r, (_k, v) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? String(v) : v)));
    }
  }
  return h.digest('hex');
}

export interface FuzzOutcome {
  status: number;
  /** How long the app took to answer (not counting the checks around it). */
  ms: number;
  /** What went wrong, if anything: a 5xx, a bad error body, a stack trace, or data changed by a rejected request. */
  problem: string | null;
}

/** Sends one request; checks no 5xx, a well-formed error on 4xx, no stack trace, and nothing stored changed on a 4xx. */
export async function runCase(app: FastifyInstance, engine: Engine, store: SqliteStore, req: FuzzRequest): Promise<FuzzOutcome> {
  await engine.recLog.flush();
  // Writes an earlier request left in flight (a group commit not yet synced) are not this request's doing.
  await store.settled();
  const before = storeDigest(store);
  const { route: _route, ...inject } = req;
  let res: Awaited<ReturnType<typeof app.inject>>;
  const started = performance.now();
  try {
    res = await app.inject(inject);
  } catch (e) {
    return { status: 0, ms: performance.now() - started, problem: `inject threw: ${(e as Error).message}` };
  }
  const ms = performance.now() - started;
  const status = res.statusCode;
  if (status >= 500) return { status, ms, problem: `${status}: ${res.body.slice(0, 300)}` };
  if (/\n\s+at .+:\d+:\d+/.test(res.body)) return { status, ms, problem: 'stack trace in the answer' };
  if (status >= 400) {
    let body: { error?: { code?: unknown; message?: unknown } } | null = null;
    try {
      body = res.json();
    } catch {
      return { status, ms, problem: `a ${status} whose body is not JSON: ${res.body.slice(0, 100)}` };
    }
    if (typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string')
      return { status, ms, problem: `a ${status} without { error: { code, message } }` };
    await engine.recLog.flush();
    await store.settled();
    if (storeDigest(store) !== before) return { status, ms, problem: `a rejected request (${status} ${body.error.code}) changed stored data` };
  }
  return { status, ms, problem: null };
}
