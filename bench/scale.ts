/**
 * The cost curve: a synthetic shop grown through several sizes. Per size it loads the catalogue and
 * the events through the store's bulk path (`upsertItems`, `insertEvents` in chunks: no HTTP, no
 * real-time profiles), trains every default model the way `afin train` does (in a child process, so
 * its peak RSS is its own), and serves `GET /v1/recommendations` from a spawned `afin serve` at 32
 * connections (autocannon in this process).
 *
 *   node bin/run-ts.mjs bench/scale.ts [--sizes 500x5000,1000x10000] [--events-per-user 10]
 *     [--seconds 5] [--connections 32] [--seed 1] [--keep-going]
 *
 * A size is ITEMSxUSERS; the issue's full curve is `--sizes 1000x10000,10000x100000,100000x1000000`
 * (that last one needs a long while and several GB). The shop: items in 40 categories with log-normal
 * prices per category and power-law popularity (Zipf, exponent 1); users with a geometric number of
 * sessions, each session browsing one category (a favourite one 70 % of the time) — views, some
 * add-to-carts, fewer purchases — for `--events-per-user` events per user on average.
 *
 * Prints progress on stderr and one JSON line per size on stdout.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { StoredEvent, StoredItem } from '../src/domain/schemas.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { ALS_DEFAULTS, Als } from '../src/recommend/models/als.ts';
import { pack } from '../src/recommend/models/pack.ts';
import { topK } from '../src/recommend/models/top-k.ts';
import {
  HOST,
  type LoadFigures,
  call,
  cpuSecondsOf,
  emit,
  percentile,
  loadRun,
  log,
  main,
  parseArgs,
  removeDirLater,
  rng,
  round,
  serverErrors,
  spawnAfin,
  stopProcess,
  tempDir,
  trackChild,
  waitReady,
} from './lib.ts';

const ADMIN_KEY = 'bench-admin-key-0123456789';
const WS = 'default';
const CATEGORIES = 40;

// Child mode: train in this process and report its own time and peak memory.
if (process.argv[2] === '--child-train') {
  const { Engine } = await import('../src/server/compose.ts');
  const { loadConfig } = await import('../src/config.ts');
  const engine = await Engine.open(loadConfig());
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  let infos: unknown[] = [];
  let error: string | null = null;
  try {
    infos = await engine.train(WS, {});
  } catch (e) {
    error = (e as Error).message;
    infos = (e as { trained?: unknown[] }).trained ?? [];
  }
  const seconds = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await engine.close();
  process.stdout.write(
    JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024), infos, error }) + '\n',
  );
  process.exit(0);
}

const opts = parseArgs({
  sizes: '500x5000,1000x10000',
  eventsPerUser: 10,
  seconds: 5,
  connections: 32,
  seed: 1,
  /** Go on to the next size when one fails (default: stop). */
  keepGoing: false,
  logLevel: 'warn',
  /** How long the server may take to start and load the models (a loaded machine needs minutes). */
  startupSeconds: 900,
  /**
   * Only the exact factor retrieval's cost per request at these item counts (no store, no server):
   * one fold-in and a score for every item, as ALS serves, with k = 128 (the default's factors).
   */
  retrieval: '',
});

interface Size {
  items: number;
  users: number;
}

function parseSizes(s: string): Size[] {
  return s.split(',').map((part) => {
    const m = /^\s*(\d+)x(\d+)\s*$/i.exec(part);
    if (!m) throw new Error(`--sizes: expected ITEMSxUSERS[,…], got "${part}"`);
    const size = { items: Number(m[1]), users: Number(m[2]) };
    if (size.items < 10 || size.users < 10) throw new Error(`--sizes: at least 10 items and 10 users, got "${part}"`);
    return size;
  });
}

/** Items in categories with log-normal prices; `byCategory` lists them by popularity with Zipf weights. */
function makeShop(nItems: number, seed: number) {
  const rand = rng(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
  const catPrice = Array.from({ length: CATEGORIES }, () => Math.exp(2.5 + 1.2 * rand()));
  const items: StoredItem[] = [];
  const members: number[][] = Array.from({ length: CATEGORIES }, () => []);
  // Popularity rank r gets weight 1/(r+1): item i is the i-th most popular overall.
  const weight = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    // Category sizes are skewed too: a few big categories, a long tail of small ones.
    const c = Math.min(CATEGORIES - 1, Math.floor(CATEGORIES * rand() ** 1.6));
    members[c].push(i);
    weight[i] = 1 / (i + 1);
    items.push({
      id: `sku-${i}`,
      title: `Product ${i} in category ${c}`,
      categories: [`cat-${c}`],
      tags: rand() < 0.2 ? ['sale'] : [],
      price: Math.round(catPrice[c] * Math.exp(0.5 * gauss()) * 100) / 100,
      currency: 'EUR',
      available: true,
      updatedAt: 1,
    } as StoredItem);
  }
  const catWeight = members.map((m) => m.reduce((s, i) => s + weight[i], 0));
  const cum = members.map((m) => {
    const c = new Float64Array(m.length);
    let s = 0;
    for (const [k, i] of m.entries()) c[k] = s += weight[i];
    return c;
  });
  const pickIn = (c: number): number => {
    const cs = cum[c];
    const x = rand() * cs[cs.length - 1];
    let lo = 0,
      hi = cs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cs[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return members[c][lo];
  };
  const nonEmpty = members.map((m, c) => (m.length ? c : -1)).filter((c) => c >= 0);
  const catCum = new Float64Array(nonEmpty.length);
  let cs = 0;
  for (const [k, c] of nonEmpty.entries()) catCum[k] = cs += catWeight[c];
  const pickCategory = (): number => {
    const x = rand() * cs;
    let k = 0;
    while (catCum[k] < x) k++;
    return nonEmpty[k];
  };
  return { items, pickIn, pickCategory, rand };
}

/** One user's events: sessions of views in one category, some add-to-carts and purchases. */
function* shopEvents(shop: ReturnType<typeof makeShop>, nUsers: number, perUser: number, now: number): Generator<StoredEvent> {
  const { rand, pickIn, pickCategory, items } = shop;
  const span = 90 * 86_400_000;
  let seq = 0;
  for (let u = 0; u < nUsers; u++) {
    const user = `u-${u}`;
    const favourites = [pickCategory(), pickCategory()];
    // Geometric number of events with mean `perUser`, in sessions of ~4.
    let left = Math.max(1, Math.round(-Math.log(rand() || 1e-12) * perUser));
    let t = now - span * rand();
    while (left > 0) {
      const c = rand() < 0.7 ? favourites[rand() < 0.5 ? 0 : 1] : pickCategory();
      const len = Math.min(left, 1 + Math.floor(rand() * 7));
      for (let k = 0; k < len; k++) {
        const item = items[pickIn(c)];
        const r = rand();
        const type = r < 0.08 ? 'purchase' : r < 0.2 ? 'add_to_cart' : 'view';
        t = Math.min(now, t + 30_000 + rand() * 300_000);
        yield {
          messageId: `s-${seq++}`,
          type,
          subject: user,
          userId: user,
          anonymousId: null,
          itemId: item.id,
          value: type === 'purchase' ? (item.price ?? null) : null,
          query: null,
          channel: 'web',
          recommendationId: null,
          variant: null,
          timestamp: Math.floor(t),
          receivedAt: Math.floor(t),
          properties: null,
        };
      }
      left -= len;
      t += 86_400_000 * rand() * 5;
    }
  }
}

function runChild(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { cwd: process.cwd(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(p);
    let out = '',
      err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`training exited ${code}: ${err.slice(-2000)}`))));
  });
}

async function measureSize(size: Size, index: number): Promise<Record<string, unknown>> {
  const work = tempDir(`scale-${size.items}x${size.users}`);
  removeDirLater(work);
  const dataDir = join(work, 'data');
  const now = Date.now();
  const shop = makeShop(size.items, opts.seed + index);

  // 1. Bulk load.
  const store = new SqliteStore(join(dataDir, 'afin.db'));
  await store.migrate();
  await store.createWorkspace({ id: WS, name: 'scale', createdAt: now });
  const tLoad = performance.now();
  for (let i = 0; i < shop.items.length; i += 5000) await store.upsertItems(WS, shop.items.slice(i, i + 5000));
  await store.bumpCounter(WS, 'items');
  const itemSeconds = (performance.now() - tLoad) / 1000;
  const tEvents = performance.now();
  const loadCpu0 = process.cpuUsage();
  let events = 0;
  let chunk: StoredEvent[] = [];
  let lastLog = tEvents;
  for (const e of shopEvents(shop, size.users, opts.eventsPerUser, now)) {
    chunk.push(e);
    if (chunk.length === 10_000) {
      events += (await store.insertEvents(WS, chunk)).inserted.length;
      chunk = [];
      if (performance.now() - lastLog > 5000) {
        lastLog = performance.now();
        log(`  ${events} events loaded`);
      }
    }
  }
  if (chunk.length) events += (await store.insertEvents(WS, chunk)).inserted.length;
  const eventSeconds = (performance.now() - tEvents) / 1000;
  const loadCpu = process.cpuUsage(loadCpu0);
  const eventCpuSeconds = (loadCpu.user + loadCpu.system) / 1e6;
  await store.close();
  log(`${size.items} items × ${size.users} users: ${events} events loaded in ${round(eventSeconds)} s (${Math.round(events / eventSeconds)}/s)`);

  // 2. Training, in a child process of its own.
  const env = { AFIN_DATA_DIR: dataDir, AFIN_ADMIN_KEY: ADMIN_KEY, AFIN_LOG_LEVEL: opts.logLevel };
  log('  training…');
  const train = JSON.parse((await runChild(['bin/run-ts.mjs', 'bench/scale.ts', '--child-train'], env)).trim().split('\n').pop()!) as {
    seconds: number;
    cpuSeconds: number;
    maxRssMB: number;
    infos: Array<{ name: string; seconds: number; items: number; plan?: Record<string, unknown> }>;
    error: string | null;
  };
  log(`  trained in ${round(train.seconds)} s (${round(train.cpuSeconds)} CPU s), peak RSS ${train.maxRssMB} MB${train.error ? `; ${train.error}` : ''}`);
  const check = new SqliteStore(join(dataDir, 'afin.db'));
  const blobs = await check.listBlobs(WS, 'model:');
  let modelBytes = 0;
  const perModel: Record<string, number> = {};
  for (const b of blobs) {
    const blob = await check.getBlob(WS, b.name);
    const n = blob?.data.byteLength ?? 0;
    modelBytes += n;
    perModel[b.name.slice('model:'.length)] = n;
  }
  await check.close();

  // 3. Serving at 32 connections, users rotating.
  const s = await spawnAfin({ ...env, AFIN_RATE_LIMITS: 'public=1000000,server=1000000' }, work, 'afin-scale');
  let serving: LoadFigures | null = null;
  let servingError: string | null = null;
  let serverCpuMsPerRequest: number | null = null;
  try {
    await waitReady(s, opts.startupSeconds * 1000);
    const { key } = await call<{ key: string }>('POST', `${s.url}/v1/keys`, ADMIN_KEY, { scope: 'public', name: 'scale' });
    const rand = rng(opts.seed + 99);
    const paths = Array.from({ length: 2000 }, () => `/v1/recommendations?userId=u-${Math.floor(rand() * size.users)}&n=10`);
    const headers = { authorization: `Bearer ${key}` };
    // Warm-up: the models load on the first request, which may take a while for big ones.
    await call('GET', `${s.url}${paths[0]}`, key, undefined, 300_000);
    const run = (seconds: number) => loadRun({ url: s.url, paths, headers, connections: opts.connections, seconds });
    await run(2);
    const cpu0 = cpuSecondsOf(s.proc.pid);
    const r = await run(opts.seconds);
    const cpu1 = cpuSecondsOf(s.proc.pid);
    serving = r;
    if (cpu0 !== null && cpu1 !== null && r.requests > 0) serverCpuMsPerRequest = round(((cpu1 - cpu0) * 1000) / r.requests, 2);
    if (r.non2xx || r.errors) for (const l of serverErrors(s)) log(`  server log: ${l}`);
  } catch (e) {
    // Keep the load and training figures of this size: say why serving was not measured.
    servingError = (e as Error).message;
    log(`  serving not measured: ${servingError}`);
  } finally {
    await stopProcess(s.proc);
  }
  return {
    bench: 'scale',
    items: size.items,
    users: size.users,
    events,
    eventsPerUser: opts.eventsPerUser,
    ingest: {
      path: 'store bulk (insertEvents, 10,000 per call, no profiles)',
      eventsPerSec: Math.round(events / eventSeconds),
      eventsPerCpuSec: Math.round(events / eventCpuSeconds),
      seconds: round(eventSeconds, 1),
      itemSeconds: round(itemSeconds, 2),
    },
    training: {
      seconds: round(train.seconds, 1),
      cpuSeconds: round(train.cpuSeconds, 1),
      peakRssMB: train.maxRssMB,
      models: Object.fromEntries(train.infos.map((i) => [i.name, { seconds: i.seconds, items: i.items, ...(i.plan ? { plan: i.plan } : {}) }])),
      error: train.error,
    },
    modelBytes,
    modelBytesByModel: perModel,
    serving: serving ? { ...serving, serverCpuMsPerRequest } : { error: servingError },
    connections: opts.connections,
    // The machine is shared: the 1-minute load average says how much of it the bench had.
    loadAvg1: round(loadavg()[0], 1),
    node: process.version,
    cpus: cpus().length,
  };
}

/**
 * CPU milliseconds per request of exact factor retrieval over `nItems` items: the served ALS (k = 128)
 * loaded with random factors, a 10-item history folded in, every item scored, the top 100 taken.
 * CPU time of this thread, so other work on the machine barely moves it.
 */
function exactRetrieval(nItems: number, seed: number): Record<string, number> {
  const k = 128;
  const rand = rng(seed);
  const Y = new Float64Array(nItems * k);
  for (let p = 0; p < Y.length; p++) Y[p] = (rand() - 0.5) * 0.2;
  const YtY = new Float64Array(k * k);
  for (let i = 0; i < nItems; i++)
    for (let a = 0; a < k; a++) {
      const ya = Y[i * k + a];
      for (let b = 0; b < k; b++) YtY[a * k + b] += ya * Y[i * k + b];
    }
  const als = Als.load(pack({ model: 'als', version: 1, options: { ...ALS_DEFAULTS, factors: k, regularization: 50 }, nItems }, { Y, YtY }));
  const ms: number[] = [];
  const queries = nItems >= 500_000 ? 20 : 60;
  for (let q = 0; q < queries + 5; q++) {
    const history = Array.from({ length: 10 }, (_, t) => ({ item: Math.floor(rand() * nItems), weight: 1, time: t }));
    const c0 = process.cpuUsage();
    const { scores } = als.score(history, 10);
    topK(scores, 100);
    const c = process.cpuUsage(c0);
    if (q >= 5) ms.push((c.user + c.system) / 1000);
  }
  ms.sort((a, b) => a - b);
  return { items: nItems, factors: k, cpuMsP50: round(percentile(ms, 50), 2), cpuMsP99: round(percentile(ms, 99), 2), queries };
}

await main(async () => {
  if (opts.retrieval) {
    const counts = opts.retrieval.split(',').map(Number);
    const rows = counts.map((n) => {
      const r = exactRetrieval(n, opts.seed);
      log(`exact retrieval over ${n} items: p50 ${r.cpuMsP50} CPU ms, p99 ${r.cpuMsP99}`);
      return r;
    });
    emit({ bench: 'scale-retrieval', node: process.version, loadAvg1: round(loadavg()[0], 1), rows });
    return 0;
  }
  const sizes = parseSizes(opts.sizes);
  log(
    `sizes: ${sizes.map((s) => `${s.items} items × ${s.users} users`).join(', ')}; ${opts.eventsPerUser} events per user; serving ${opts.connections} connections for ${opts.seconds} s; host ${HOST}`,
  );
  let failed = 0;
  for (const [k, size] of sizes.entries()) {
    try {
      process.stdout.write(JSON.stringify(await measureSize(size, k)) + '\n');
    } catch (e) {
      failed++;
      log(`${size.items}x${size.users} failed: ${(e as Error).message}`);
      if (!opts.keepGoing) break;
    }
  }
  return failed ? 1 : 0;
});
