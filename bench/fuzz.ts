/**
 * The security fuzzer at scale: the same fast-check generators as test/security/fuzz.test.ts
 * (malformed, oversized, wrongly typed and hostile bodies, queries, paths and headers), sent to
 * every route of an in-process app on a fresh embedded store, many more times.
 *
 *   node bin/run-ts.mjs bench/fuzz.ts [--cases 20000] [--seed N] [--body-limit 65536]
 *
 * The targeted cases (free-form objects nested too deep inside valid elements, extreme numbers,
 * impossible timestamps, the worst chat input) run first, with every kind of key.
 *
 * Prints one JSON line: {cases, targeted, fiveHundreds, problems, dataChangedOnReject, routes, byStatus,
 * slowest: {route, ms}, longChatMs, seconds, casesPerSecond, seed}.
 * Exit code 1 if any case answered 5xx, leaked a stack, or changed data while being rejected.
 */
import fc from 'fast-check';
import { ROOT_KEY, items } from '../test/helpers.ts';
import { makeConfiguredApp } from '../test/security/app.ts';
import { LONG_CHAT_MESSAGE, requestArb, runCase, targetedRequests } from '../test/security/fuzzer.ts';
import { emit, log, main, parseArgs, round } from './lib.ts';

await main(async () => {
  const opts = parseArgs({ cases: 20_000, seed: Math.floor(Math.random() * 2 ** 31), bodyLimit: 64 * 1024 });
  const t = await makeConfiguredApp({ rateLimits: { public: 1e6, server: 1e6, admin: 1e6 } }, { bodyLimit: opts.bodyLimit });
  try {
    await t.call('PUT', '/v1/items', items(30));
    const evs = [];
    for (let u = 0; u < 40; u++)
      for (const i of [u % 30, (u * 7) % 30, (u + 11) % 30]) evs.push({ type: u % 4 ? 'view' : 'purchase', userId: `u${u}`, itemId: `i${i}` });
    await t.call('POST', '/v1/events', evs);
    await t.call('PUT', '/v1/users/u1', { traits: { name: 'Ana', language: 'es' } });
    await t.call('POST', '/v1/train', {});
    const keys = {
      admin: (await t.key('admin')).key,
      server: (await t.key('server')).key,
      public: (await t.key('public', { allowedOrigins: ['https://shop.example'] })).key,
    };
    const routes = t.app.afinRoutes.filter((r) => !r.url.startsWith('/docs/static'));
    log(`${routes.length} routes, ${opts.cases} cases, seed ${opts.seed}`);

    const byStatus: Record<string, number> = {};
    const byRoute: Record<string, number> = {};
    const problems: string[] = [];
    let fiveHundreds = 0,
      dataChangedOnReject = 0,
      cases = 0;
    const started = performance.now();
    const targeted = targetedRequests(keys, ROOT_KEY);
    const samples = [...targeted, ...fc.sample(requestArb(routes, keys, ROOT_KEY), { numRuns: opts.cases, seed: opts.seed })];
    let slowest = { route: '', ms: 0 };
    let longChatMs = 0;
    for (const req of samples) {
      const out = await runCase(t.app, t.engine, t.store, req);
      const ms = out.ms;
      if (ms > slowest.ms) slowest = { route: req.route, ms };
      if (typeof req.payload === 'string' && req.payload.includes(LONG_CHAT_MESSAGE) && req.route === 'POST /v1/chat') longChatMs = Math.max(longChatMs, ms);
      cases++;
      byStatus[out.status] = (byStatus[out.status] ?? 0) + 1;
      byRoute[req.route] = (byRoute[req.route] ?? 0) + 1;
      if (out.status >= 500) fiveHundreds++;
      if (out.problem?.includes('changed stored data')) dataChangedOnReject++;
      if (out.problem && problems.length < 20) problems.push(`${req.method} ${req.url.slice(0, 100)} → ${out.problem}`);
      if (cases % 2000 === 0) log(`${cases}/${samples.length}`);
    }
    const seconds = (performance.now() - started) / 1000;
    const health = (await t.app.inject({ method: 'GET', url: '/health' })).statusCode;
    for (const p of problems) log(`problem: ${p}`);
    emit({
      bench: 'fuzz',
      cases,
      targeted: targeted.length,
      fiveHundreds,
      problems: problems.length,
      dataChangedOnReject,
      aliveAfter: health === 200,
      routes: routes.length,
      routesHit: Object.keys(byRoute).length,
      byStatus,
      slowest: { route: slowest.route, ms: round(slowest.ms, 1) },
      longChatMs: round(longChatMs, 1),
      seconds: round(seconds, 1),
      casesPerSecond: round(cases / seconds, 0),
      seed: opts.seed,
    });
    return fiveHundreds > 0 || problems.length > 0 || health !== 200 ? 1 : 0;
  } finally {
    await t.close();
  }
});
