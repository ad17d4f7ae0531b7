/**
 * Ingest throughput through the real HTTP API: POST /v1/events in batches of 500 with C requests in
 * flight, against a spawned `afin serve` on the embedded SQLite store and on PostgreSQL, and against a
 * bare Fastify route that only parses the batch (the baseline: what HTTP + JSON cost without a store).
 *
 *   node bin/run-ts.mjs bench/ingest.ts [--events 100000] [--concurrency 4] [--batch 500]
 *     [--stores sqlite,postgres] [--no-baseline] [--warmup 4] [--log-level info] [--max-seconds 600]
 *     [--prof-dir DIR]   (the servers write V8 CPU profiles there: open them in Chrome DevTools)
 *
 * Prints progress on stderr and one JSON line on stdout.
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import {
  HOST,
  PG_ADMIN_URL,
  call,
  cpuSecondsOf,
  createPgDatabase,
  emit,
  freePort,
  log,
  main,
  makeAgent,
  parseArgs,
  percentile,
  removeDirLater,
  request,
  round,
  serverErrors,
  spawnAfin,
  spawnBare,
  spawnNode,
  stopProcess,
  tempDir,
  waitReady,
  type Spawned,
} from './lib.ts';
import { checkPg, checkSqlite, type StoreCheck } from './store-check.ts';
import { makeEvents, makeItems } from './workload.ts';

const opts = parseArgs({
  events: 100_000,
  concurrency: 4,
  batch: 500,
  items: 1000,
  users: 2000,
  stores: 'sqlite,postgres',
  noBaseline: false,
  warmup: 4,
  logLevel: 'info',
  maxSeconds: 600,
  /** Minimum length of the bare baseline's measurement (it repeats the batches to get there). */
  bareSeconds: 3,
  seed: 42,
  /** When set, each afin server writes a V8 CPU profile (`--cpu-prof`) into this directory on exit. */
  profDir: '',
});

const KEY = 'bench-admin-key-0123456789';

interface Figures {
  eventsPerSec: number;
  events: number;
  batches: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  warmupErrors?: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  stored?: number;
  profileMismatches?: number;
  eventsMissingFromProfiles?: number;
  serverCpuUsPerEvent?: number;
  /** PostgreSQL's own CPU (the backends serving the bench database) per event: the other half of the cost. */
  pgBackendCpuUsPerEvent?: number;
}

/**
 * CPU time of the PostgreSQL backends connected to one database, sampled every half second so that a
 * backend the pool closes meanwhile still counts up to its last sample (the server runs on this machine).
 */
async function pgBackendCpu(dbName: string): Promise<{ stop: () => Promise<number> }> {
  const { default: pg } = await import('pg');
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = async () => {
    const { rows } = await c.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);
    for (const { pid } of rows as Array<{ pid: number }>) {
      const cpu = cpuSecondsOf(pid);
      if (cpu === null) continue;
      if (!first.has(pid)) first.set(pid, cpu);
      last.set(pid, cpu);
    }
  };
  await sample();
  const atStart = new Set(first.keys());
  const timer = setInterval(() => void sample().catch(() => {}), 500);
  return {
    stop: async () => {
      clearInterval(timer);
      await sample().catch(() => {});
      await c.end();
      let total = 0;
      // A backend first seen during the run was started during it: all of its CPU counts.
      for (const [pid, cpu] of last) total += cpu - (atStart.has(pid) ? first.get(pid)! : 0);
      return total;
    },
  };
}

/** Posts pre-serialized batches with `concurrency` in flight; bounded by count and by `maxSeconds`. */
async function drive(url: string, bodies: string[], counts: number[], label: string, passes = 1): Promise<Figures> {
  const total = bodies.length * passes;
  const agent = makeAgent(opts.concurrency);
  const latencies: number[] = [];
  let next = 0,
    errors = 0,
    accepted = 0,
    duplicates = 0,
    rejected = 0,
    events = 0,
    firstError = '';
  const started = performance.now();
  const deadline = started + opts.maxSeconds * 1000;
  let lastReport = started;
  const worker = async () => {
    while (next < total && performance.now() < deadline) {
      const i = next++ % bodies.length;
      const t0 = performance.now();
      try {
        const r = await request('POST', `${url}/v1/events`, bodies[i], { authorization: `Bearer ${KEY}` }, 120_000, agent);
        latencies.push(performance.now() - t0);
        if (r.status !== 200) {
          errors++;
          firstError ||= `HTTP ${r.status}: ${r.body.slice(0, 300)}`;
          continue;
        }
        const b = JSON.parse(r.body) as { accepted: number; duplicates?: number; rejected?: unknown[] };
        accepted += b.accepted;
        duplicates += b.duplicates ?? 0;
        rejected += b.rejected?.length ?? 0;
        events += counts[i];
      } catch (e) {
        errors++;
        firstError ||= (e as Error).message;
      }
      const now = performance.now();
      if (now - lastReport > 2000) {
        lastReport = now;
        log(`${label}: ${next}/${total} batches, ${Math.round(events / ((now - started) / 1000))} events/s`);
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  if (next < total) log(`${label}: stopped at the ${opts.maxSeconds} s limit after ${next} batches`);
  if (firstError) log(`${label}: ${errors} failed batches; first: ${firstError}`);
  latencies.sort((a, b) => a - b);
  return {
    eventsPerSec: Math.round(events / seconds),
    events,
    batches: latencies.length,
    seconds: round(seconds, 2),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies[latencies.length - 1] ?? NaN),
    errors,
    accepted,
    duplicates,
    rejected,
  };
}

function batches(events: unknown[]): { bodies: string[]; counts: number[] } {
  const bodies: string[] = [],
    counts: number[] = [];
  for (let i = 0; i < events.length; i += opts.batch) {
    const slice = events.slice(i, i + opts.batch);
    bodies.push(JSON.stringify(slice));
    counts.push(slice.length);
  }
  return { bodies, counts };
}

await main(async () => {
  if (opts.batch < 1 || opts.batch > 1000) throw new Error('--batch must be 1..1000 (the API takes at most 1,000 per request)');
  if (opts.concurrency < 1 || opts.concurrency > 256) throw new Error('--concurrency must be 1..256');
  if (opts.events < 1 || opts.events > 5_000_000) throw new Error('--events must be 1..5,000,000');
  const stores = opts.stores
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of stores) if (s !== 'sqlite' && s !== 'postgres') throw new Error(`--stores: unknown store "${s}"`);

  const work = tempDir('ingest');
  removeDirLater(work);
  const now = Date.now();
  const items = makeItems(opts.items, opts.seed);
  log(`generating ${opts.events} events over ${opts.users} users and ${opts.items} items`);
  const common = { users: opts.users, items, seed: opts.seed, now };
  const measured = batches(makeEvents(opts.events, { ...common, prefix: 'm' }));
  const warm = batches(makeEvents(opts.warmup * opts.batch, { ...common, prefix: 'w', seed: opts.seed + 1 }));
  const mb = measured.bodies.reduce((s, b) => s + b.length, 0) / 1e6;
  log(`${measured.bodies.length} batches of ${opts.batch} (${round(mb)} MB of JSON), ${opts.concurrency} in flight, log level ${opts.logLevel}`);

  const targets: Record<string, Figures> = {};

  const runTarget = async (label: string, s: Spawned, load: boolean, pgDatabase?: string) => {
    await waitReady(s, 60_000);
    if (load) {
      for (let i = 0; i < items.length; i += 1000) await call('PUT', `${s.url}/v1/items`, KEY, items.slice(i, i + 1000));
      log(`${label}: loaded ${items.length} items`);
    }
    const w = warm.bodies.length ? await drive(s.url, warm.bodies, warm.counts, `${label} warm-up`) : null;
    // The bare route is so fast that one pass is over in a blink: time one pass, then repeat the same
    // batches (it stores nothing, so repeats are fine) until the measurement lasts a few seconds.
    let passes = 1;
    if (!load) {
      const probe = await drive(s.url, measured.bodies, measured.counts, `${label} calibration`);
      passes = Math.max(1, Math.min(100, Math.ceil(opts.bareSeconds / Math.max(probe.seconds, 0.001))));
    }
    log(`${label}: measuring${passes > 1 ? ` (${passes} passes over the batches)` : ''}`);
    const pgCpu = pgDatabase ? await pgBackendCpu(pgDatabase) : null;
    const cpu0 = cpuSecondsOf(s.proc.pid);
    const f = await drive(s.url, measured.bodies, measured.counts, label, passes);
    const cpu1 = cpuSecondsOf(s.proc.pid);
    if (pgCpu && f.events > 0) f.pgBackendCpuUsPerEvent = Math.round(((await pgCpu.stop()) * 1e6) / f.events);
    // CPU time the server spent per event: unlike events/s, barely moved by other work on a shared machine.
    if (cpu0 !== null && cpu1 !== null && f.events > 0) f.serverCpuUsPerEvent = Math.round(((cpu1 - cpu0) * 1e6) / f.events);
    f.warmupErrors = w?.errors ?? 0;
    if (f.errors + (f.warmupErrors ?? 0) > 0) for (const line of serverErrors(s)) log(`${label} server log: ${line}`);
    log(`${label}: ${f.eventsPerSec} events/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms per batch`);
    targets[label] = f;
    return f;
  };

  if (!opts.noBaseline) {
    const bare = await spawnBare({ BARE_LOG_LEVEL: opts.logLevel === 'silent' ? 'silent' : opts.logLevel }, work);
    try {
      await runTarget('bare', bare, false);
    } finally {
      await stopProcess(bare.proc);
    }
  }

  for (const store of stores) {
    const env: Record<string, string> = { AFIN_ADMIN_KEY: KEY, AFIN_LOG_LEVEL: opts.logLevel };
    let check: () => Promise<StoreCheck>;
    let drop: (() => Promise<void>) | null = null;
    let pgDatabase: string | undefined;
    if (store === 'sqlite') {
      const dataDir = join(work, 'sqlite-data');
      env.AFIN_DATA_DIR = dataDir;
      check = async () => checkSqlite(dataDir);
    } else {
      const db = await createPgDatabase('ingest');
      log(`created database ${db.name}`);
      env.AFIN_DATA_DIR = join(work, 'pg-data'); // unused by the PostgreSQL store, kept out of ./data
      env.AFIN_DATABASE_URL = db.url;
      check = () => checkPg(db.url);
      drop = db.drop;
      pgDatabase = db.name;
    }
    // Node refuses --cpu-prof in NODE_OPTIONS, so a profiled server is spawned with the flags itself.
    const port = await freePort();
    const s = opts.profDir
      ? spawnNode(
          `afin-${store}`,
          ['--cpu-prof', `--cpu-prof-dir=${join(opts.profDir, store)}`, 'bin/afin.mjs', 'serve'],
          { AFIN_PORT: String(port), AFIN_HOST: HOST, ...env },
          work,
          port,
        )
      : await spawnAfin(env, work, `afin-${store}`);
    log(`${store}: started afin serve on ${HOST}:${s.port}`);
    try {
      const f = await runTarget(store, s, true, pgDatabase);
      await stopProcess(s.proc); // SIGTERM: drains, closes the store
      const { stored, profileMismatches, eventsMissingFromProfiles } = await check();
      Object.assign(f, { stored, profileMismatches, eventsMissingFromProfiles });
      if (f.profileMismatches)
        log(`${store}: WARNING ${f.profileMismatches} profiles do not count all their events (${f.eventsMissingFromProfiles} events missing from profiles)`);
      const expected = opts.events + warm.counts.reduce((a, b) => a + b, 0);
      if (f.stored !== expected) log(`${store}: WARNING stored ${f.stored} events, expected ${expected}`);
    } finally {
      await stopProcess(s.proc);
      if (drop) await drop();
    }
  }

  const ratios: Record<string, number> = {};
  if (targets.bare) for (const s of stores) if (targets[s]) ratios[`${s}VsBare`] = round(targets[s].eventsPerSec / targets.bare.eventsPerSec, 3);
  emit({
    bench: 'ingest',
    events: opts.events,
    batchSize: opts.batch,
    concurrency: opts.concurrency,
    users: opts.users,
    items: opts.items,
    logLevel: opts.logLevel,
    node: process.version,
    cpus: cpus().length,
    targets,
    ratios,
  });
  const failed = Object.values(targets).some((t) => t.errors > 0 || (t.warmupErrors ?? 0) > 0 || t.events < opts.events || (t.profileMismatches ?? 0) > 0);
  return failed ? 1 : 0;
});
