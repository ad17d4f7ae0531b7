/**
 * What `/metrics` costs (issue 20): the counting every request pays, and one rendering of the text a
 * scraper reads, each set against a bare route measured in the same run.
 *
 *   node bin/run-ts.mjs bench/metrics.ts [--requests 4000] [--rounds 7] [--renders 40] [--routes 40]
 *
 * - Counting: two Fastify apps in this process serve the same bare route, one with the metrics plugin
 *   (its onResponse hook counts and times each request), one without. Rounds alternate between them
 *   (`--requests` injected requests each); the CPU time per request of each, and their difference,
 *   are the medians over `--rounds`.
 * - Rendering: a registry filled as a busy node's would be (`--routes` route patterns × methods ×
 *   statuses with latencies, every event outcome, three caches), rendered `--renders` times: the
 *   median CPU milliseconds (and wall milliseconds) and the size, also in bare requests' worth of CPU.
 *
 * Prints progress on stderr and one JSON line on stdout.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { AfinMetrics, metricsPlugin } from '../src/server/plugins/metrics.ts';
import { emit, log, main, parseArgs, percentile, round } from './lib.ts';

const opts = parseArgs({ requests: 4000, rounds: 7, renders: 40, routes: 40 });

async function bareApp(metrics?: AfinMetrics): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  if (metrics) await app.register(metricsPlugin, { metrics });
  app.get('/bare', async () => ({ ok: true }));
  await app.ready();
  return app;
}

/** CPU microseconds per request for `n` sequential injected requests. */
async function cpuPerRequest(app: FastifyInstance, n: number): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const r = await app.inject({ method: 'GET', url: '/bare' });
    if (r.statusCode !== 200) throw new Error(`bare route answered ${r.statusCode}`);
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / n;
}

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

await main(async () => {
  const counted = new AfinMetrics();
  const plain = await bareApp();
  const withMetrics = await bareApp(counted);
  // Warm both (JIT, Fastify's route caches) before anything is timed.
  await cpuPerRequest(plain, 1000);
  await cpuPerRequest(withMetrics, 1000);
  const bare: number[] = [];
  const withCount: number[] = [];
  const diff: number[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    // Alternating order, so a burst of load from elsewhere on the machine falls on both sides.
    const [x, y] = r % 2 === 0 ? [plain, withMetrics] : [withMetrics, plain];
    const first = await cpuPerRequest(x, opts.requests);
    const second = await cpuPerRequest(y, opts.requests);
    const [b, c] = x === plain ? [first, second] : [second, first];
    bare.push(b);
    withCount.push(c);
    diff.push(c - b);
    log(`round ${r + 1}: bare ${round(b, 2)} µs, counted ${round(c, 2)} µs`);
  }
  await plain.close();
  await withMetrics.close();

  // A registry as a busy node fills it.
  const m = new AfinMetrics();
  m.attach({ models: async () => [{ name: 'hybrid', trainedAt: Date.now() - 3_600_000, seconds: 42 }], clock: Date.now });
  for (let i = 0; i < opts.routes; i++)
    for (const method of ['GET', 'POST'])
      for (const status of ['200', '400', '404']) {
        m.requests.inc({ route: `/v1/route${i}/:id`, method, status }, 1000 + i);
        for (let k = 0; k < 20; k++) m.latency.observe({ route: `/v1/route${i}/:id`, method }, 0.001 * (k + 1));
      }
  m.countEvents({ accepted: 1e6, duplicates: 1e4, rejected: new Array(10) });
  for (const c of Object.values(m.caches)) Object.assign(c, { hit: 9e5, miss: 1e5 });
  await m.registry.metrics(); // warm
  const renders: number[] = [];
  const renderCpu: number[] = [];
  let bytes = 0;
  for (let i = 0; i < opts.renders; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    const text = await m.registry.metrics();
    const used = process.cpuUsage(c);
    renders.push(performance.now() - t);
    renderCpu.push((used.user + used.system) / 1000);
    bytes = Buffer.byteLength(text);
  }
  const bareUs = median(bare);
  // CPU time, like the counting figures: wall time on a loaded machine includes waiting for a core.
  const renderMs = median(renderCpu);
  emit({
    bench: 'metrics',
    options: opts,
    counting: {
      bareRouteCpuUsPerRequest: round(bareUs, 2),
      countedRouteCpuUsPerRequest: round(median(withCount), 2),
      countingCpuUsPerRequest: round(median(diff), 2),
      countingShareOfBareRoute: round(median(diff) / bareUs, 3),
    },
    rendering: {
      cpuMsMedian: round(renderMs, 2),
      wallMsMedian: round(median(renders), 2),
      bytes,
      inBareRequests: Math.round((renderMs * 1000) / bareUs),
    },
  });
  return undefined;
});
