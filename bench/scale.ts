/**
 * The cost curve: a synthetic shop grown through several sizes. Per size it loads the catalogue and
 * the events through the store's bulk path (`upsertItems`, `insertEvents` in chunks: no HTTP, no
 * real-time profiles), trains every default model the way `afin train` does (in a child process, so
 * its peak RSS is its own), and serves `GET /v1/recommendations` from a spawned `afin serve` at 32
 * connections (autocannon in this process).
 *
 *   node bin/run-ts.mjs bench/scale.ts [--sizes 500x5000,1000x10000] [--events-per-user 10]
 *     [--seconds 5] [--connections 32] [--seed 1] [--keep-going]
 *   node bin/run-ts.mjs bench/scale.ts --chart bench/scale-runs.jsonl [--out docs/scale-curve.svg] [--note '…']
 *   node bin/run-ts.mjs bench/scale.ts --fits 100000x100000   (the training's parts alone, CPU and wall s each)
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
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { StoredEvent } from '../src/domain/schemas.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { ALS_DEFAULTS, Als } from '../src/recommend/models/als.ts';
import { pack } from '../src/recommend/models/pack.ts';
import { topK } from '../src/recommend/models/top-k.ts';
import { FactorScan } from '../src/recommend/models/wasm-gemv.ts';
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
  onCleanup,
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
import { scaleChart, scaleLinesOf } from './scale-chart.ts';
import { makeShop, shopEvents } from './scale-shop.ts';

const ADMIN_KEY = 'bench-admin-key-0123456789';
const WS = 'default';

// Child mode: train in this process and report its own time and peak memory.
if (process.argv[2] === '--child-train') {
  const { Engine } = await import('../src/server/compose.ts');
  const { loadConfig } = await import('../src/config.ts');
  const engine = await Engine.open(loadConfig());
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  let infos: unknown[] = [];
  let error: string | null = null;
  // Progress on stderr (a stage change or 10 % more), so a run stopped mid-training says how far it got.
  let lastStage = '';
  let lastFraction = -1;
  const onProgress = (stage: string, fraction: number) => {
    if (stage === lastStage && fraction - lastFraction < 0.1) return;
    lastStage = stage;
    lastFraction = fraction;
    process.stderr.write(`progress ${JSON.stringify({ stage, fraction: Math.round(fraction * 100) / 100 })}\n`);
  };
  try {
    infos = await engine.train(WS, { onProgress });
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
   * Only the factor retrieval's cost per request at these item counts (no store, no server): one
   * fold-in, then a score for every item (exact: the float64 loop and the float32 scan) or for the HNSW
   * index's candidates, with k = 128 (the default's factors); recall@100, the index's build time and
   * bytes beside. One JSON line per count.
   */
  retrieval: '',
  /**
   * A directory where the retrieval mode keeps each size's built HNSW model (the same seeded factors
   * and index every run), so a rerun measures the scans without rebuilding; the build's CPU seconds
   * are kept beside it. Empty: build every time.
   */
  retrievalCache: '',
  /** Past this many items the retrieval mode skips the HNSW path (its build grows faster than the items); 0: never skips. */
  retrievalHnswUpTo: 0,
  /**
   * Only the fits at this size (ITEMSxUSERS; no store, no server): the shop's events built in memory, then
   * each part of the default training fitted in turn, CPU seconds and peak RSS after each.
   */
  fits: '',
  /** Draws the chart instead: the scale lines of these JSONL files (comma-separated) into `--out`. */
  chart: '',
  out: 'docs/scale-curve.svg',
  /** The chart's second line: when and under what load the lines were measured. */
  note: '',
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

/** Resident and peak resident memory of a process in MB (Linux /proc; null elsewhere). */
function memoryOf(pid: number | undefined): { rssMB: number; peakRssMB: number } | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kB = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMB: Math.round(kB('VmRSS') / 1024), peakRssMB: Math.round(kB('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

/**
 * The size being measured and what it has measured so far: printed as a `partial` line if the run
 * is stopped (the ceiling, a signal, a failure), so a size that does not finish still says how far
 * it got and what it cost until then.
 */
let inFlight: { phase: string; figures: Record<string, unknown> } | null = null;

function emitPartial(why: string): void {
  if (!inFlight) return;
  emit({ ...inFlight.figures, partial: true, stoppedIn: inFlight.phase, why, loadAvg1: round(loadavg()[0], 1) });
  inFlight = null;
}

/**
 * Runs the training child; every `sampleSeconds` records its CPU time, memory and last progress
 * line in `into` (and logs them), since a big size can train for an hour.
 */
function runChild(args: string[], env: Record<string, string>, into: Record<string, unknown>, sampleSeconds = 60): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { cwd: process.cwd(), env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(p);
    const t0 = performance.now();
    let out = '';
    let err = '';
    let progress: unknown = null;
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => {
      err = (err + d).slice(-20_000);
      for (const line of String(d).split('\n')) if (line.startsWith('progress ')) progress = JSON.parse(line.slice('progress '.length));
    });
    const sample = () => {
      const mem = memoryOf(p.pid);
      into.soFar = { wallSeconds: round((performance.now() - t0) / 1000, 0), cpuSeconds: cpuSecondsOf(p.pid), ...mem, progress };
      log(`  training so far: ${JSON.stringify(into.soFar)} (load ${round(loadavg()[0], 1)})`);
    };
    const timer = setInterval(sample, sampleSeconds * 1000);
    p.on('exit', (code) => {
      clearInterval(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`training exited ${code}: ${err.slice(-2000)}`));
    });
  });
}

async function measureSize(size: Size, index: number): Promise<Record<string, unknown>> {
  const work = tempDir(`scale-${size.items}x${size.users}`);
  removeDirLater(work);
  const dataDir = join(work, 'data');
  const now = Date.now();
  const shop = makeShop(size.items, opts.seed + index);
  // Filled phase by phase: what a stopped run prints as its partial line.
  const figures: Record<string, unknown> = {
    bench: 'scale',
    items: size.items,
    users: size.users,
    eventsPerUser: opts.eventsPerUser,
    connections: opts.connections,
    node: process.version,
    cpus: cpus().length,
    takenAt: new Date(now).toISOString(),
  };
  inFlight = { phase: 'loading', figures };

  // 1. Bulk load. The generator runs in this process too: the store's own share is timed apart.
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
  let storeSeconds = 0;
  let storeCpuSeconds = 0;
  let chunk: StoredEvent[] = [];
  let lastLog = tEvents;
  const insert = async () => {
    const t = performance.now();
    const c = process.cpuUsage();
    events += (await store.insertEvents(WS, chunk)).inserted.length;
    const dc = process.cpuUsage(c);
    storeSeconds += (performance.now() - t) / 1000;
    storeCpuSeconds += (dc.user + dc.system) / 1e6;
    chunk = [];
    const seconds = (performance.now() - tEvents) / 1000;
    figures.events = events;
    figures.ingest = { eventsSoFar: events, seconds: round(seconds, 0), storeCpuSeconds: round(storeCpuSeconds, 1) };
    if (performance.now() - lastLog > 30_000) {
      lastLog = performance.now();
      log(
        `  ${events} events loaded in ${round(seconds, 0)} s (store ${Math.round(events / storeCpuSeconds)} events per CPU s; load ${round(loadavg()[0], 1)})`,
      );
    }
  };
  for (const e of shopEvents(shop, size.users, opts.eventsPerUser, now)) {
    chunk.push(e);
    if (chunk.length === 10_000) await insert();
  }
  if (chunk.length) await insert();
  const eventSeconds = (performance.now() - tEvents) / 1000;
  const loadCpu = process.cpuUsage(loadCpu0);
  const eventCpuSeconds = (loadCpu.user + loadCpu.system) / 1e6;
  await store.close();
  log(`${size.items} items × ${size.users} users: ${events} events loaded in ${round(eventSeconds)} s (${Math.round(events / eventSeconds)}/s)`);
  figures.events = events;
  figures.ingest = {
    path: 'store bulk (insertEvents, 10,000 per call, no profiles)',
    eventsPerSec: Math.round(events / eventSeconds),
    eventsPerCpuSec: Math.round(events / eventCpuSeconds),
    // The store's calls alone (the generator's work left out).
    storeEventsPerSec: Math.round(events / storeSeconds),
    storeEventsPerCpuSec: Math.round(events / storeCpuSeconds),
    seconds: round(eventSeconds, 1),
    itemSeconds: round(itemSeconds, 2),
  };

  // 2. Training, in a child process of its own.
  const env = { AFIN_DATA_DIR: dataDir, AFIN_ADMIN_KEY: ADMIN_KEY, AFIN_LOG_LEVEL: opts.logLevel };
  log('  training…');
  inFlight.phase = 'training';
  const training: Record<string, unknown> = {};
  figures.training = training;
  const train = JSON.parse((await runChild(['bin/run-ts.mjs', 'bench/scale.ts', '--child-train'], env, training)).trim().split('\n').pop()!) as {
    seconds: number;
    cpuSeconds: number;
    maxRssMB: number;
    infos: Array<{ name: string; seconds: number; items: number; plan?: Record<string, unknown> }>;
    error: string | null;
  };
  log(`  trained in ${round(train.seconds)} s (${round(train.cpuSeconds)} CPU s), peak RSS ${train.maxRssMB} MB${train.error ? `; ${train.error}` : ''}`);
  figures.training = {
    seconds: round(train.seconds, 1),
    cpuSeconds: round(train.cpuSeconds, 1),
    peakRssMB: train.maxRssMB,
    models: Object.fromEntries(train.infos.map((i) => [i.name, { seconds: i.seconds, items: i.items, ...(i.plan ? { plan: i.plan } : {}) }])),
    error: train.error,
  };
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
  figures.modelBytes = modelBytes;
  figures.modelBytesByModel = perModel;

  // 3. Serving at 32 connections, users rotating.
  inFlight.phase = 'serving';
  const s = await spawnAfin({ ...env, AFIN_RATE_LIMITS: 'public=1000000,server=1000000' }, work, 'afin-scale');
  let serving: LoadFigures | null = null;
  let servingError: string | null = null;
  let serverCpuMsPerRequest: number | null = null;
  let serverPeakRssMB: number | null = null;
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
    serverPeakRssMB = memoryOf(s.proc.pid)?.peakRssMB ?? null;
    if (r.non2xx || r.errors) for (const l of serverErrors(s)) log(`  server log: ${l}`);
  } catch (e) {
    // Keep the load and training figures of this size: say why serving was not measured.
    servingError = (e as Error).message;
    log(`  serving not measured: ${servingError}`);
  } finally {
    await stopProcess(s.proc);
  }
  figures.serving = serving ? { ...serving, serverCpuMsPerRequest, serverPeakRssMB } : { error: servingError };
  // The machine is shared: the 1-minute load average says how much of it the bench had.
  figures.loadAvg1 = round(loadavg()[0], 1);
  inFlight = null;
  return figures;
}

/** Beam widths the HNSW path is measured at (each one's recall@100 and cost per request). */
const RETRIEVAL_EFS = [100, 200, 400];

/** The ALS of `blob` with its HNSW index: built here (CPU ms timed), or read from `--retrieval-cache` if a run built it for the same factors. */
function indexed(blob: Uint8Array, Y: Float64Array, nItems: number, seed: number): { ann: Als; buildCpuMs: number } {
  const file = opts.retrievalCache ? join(opts.retrievalCache, `als-hnsw-${nItems}-seed${seed}.bin`) : '';
  if (file && existsSync(file) && existsSync(`${file}.json`)) {
    const ann = Als.load(readFileSync(file));
    const same = Buffer.from(ann.itemFactors.buffer, ann.itemFactors.byteOffset, ann.itemFactors.byteLength).equals(Buffer.from(Y.buffer));
    if (same) return { ann, buildCpuMs: (JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { buildCpuMs: number }).buildCpuMs };
    log(`  ${file} holds other factors: building again`);
  }
  const ann = Als.load(blob);
  const b0 = process.cpuUsage();
  ann.indexItems(seed);
  const b = process.cpuUsage(b0);
  const buildCpuMs = (b.user + b.system) / 1000;
  if (file) {
    mkdirSync(opts.retrievalCache, { recursive: true });
    writeFileSync(file, ann.save());
    writeFileSync(`${file}.json`, JSON.stringify({ buildCpuMs }));
  }
  return { ann, buildCpuMs };
}

/**
 * CPU milliseconds per request of factor retrieval over `nItems` items, three ways: every item scored
 * by the float64 loop (as ALS scored before its float32 scan: `exactScan: 'float64'`), every item by
 * the float32 scan (wasm-gemv.ts, the default), and the HNSW index's `ef` candidates. The served ALS
 * (k = 128) is loaded with random factors (uniform, so no structure for the index to use: its hard
 * case), a 10-item history folded in, then the scores and the top 100. The paths take turns on each
 * query, so a change in the machine's load falls on all of them. Recall@100 is the share of the
 * float64 top 100 a path returns. CPU time of this process, so other work on the machine barely moves it.
 */
function retrieval(nItems: number, seed: number): Record<string, unknown> {
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
  const options = { ...ALS_DEFAULTS, factors: k, regularization: 50, annAbove: Infinity };
  const blob = pack({ model: 'als', version: 1, options, nItems }, { Y, YtY });
  const float64 = Als.load(pack({ model: 'als', version: 1, options: { ...options, exactScan: 'float64' }, nItems }, { Y, YtY }));
  const float32 = Als.load(blob);
  const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  const c0 = process.cpuUsage();
  const scan = new FactorScan(Y, nItems, k);
  const copyCpuMs = cpuMs(process.cpuUsage(c0));
  const withIndex = !opts.retrievalHnswUpTo || nItems <= opts.retrievalHnswUpTo;
  const { ann, buildCpuMs } = withIndex ? indexed(blob, Y, nItems, seed) : { ann: null, buildCpuMs: 0 };
  const queries = nItems >= 500_000 ? 20 : 60;
  const histories = Array.from({ length: queries + 5 }, () =>
    Array.from({ length: 10 }, (_, t) => ({ item: Math.floor(rand() * nItems), weight: 1, time: t })),
  );
  const paths: Array<{ name: string; als: Als; ef?: number }> = [
    { name: 'float64', als: float64 },
    { name: 'float32', als: float32 },
    ...(ann ? RETRIEVAL_EFS.map((ef) => ({ name: `ef${ef}`, als: ann, ef })) : []),
  ];
  const ms = new Map(paths.map((p) => [p.name, [] as number[]]));
  const tops = new Map(paths.map((p) => [p.name, [] as Int32Array[]]));
  for (const [q, history] of histories.entries())
    for (const p of paths) {
      if (p.ef) p.als.options.annEf = p.ef;
      const c = process.cpuUsage();
      const top = topK(p.als.score(history, 10).scores, 100);
      const used = cpuMs(process.cpuUsage(c));
      // The first queries warm up (and make the float32 copy): not counted.
      if (q < 5) continue;
      ms.get(p.name)!.push(used);
      tops.get(p.name)!.push(top);
    }
  const truth = tops.get('float64')!;
  const figures = (name: string) => {
    const sorted = ms.get(name)!.sort((x, y) => x - y);
    let hits = 0;
    let sameOrder = 0;
    for (const [q, top] of tops.get(name)!.entries()) {
      const want = new Set(truth[q]);
      for (const i of top) if (want.has(i)) hits++;
      if (top.every((v, j) => v === truth[q][j])) sameOrder++;
    }
    const n = truth.length;
    return {
      cpuMsP50: round(percentile(sorted, 50), 2),
      cpuMsP99: round(percentile(sorted, 99), 2),
      recallAt100: round(hits / (100 * n), 3),
      top100SameOrder: round(sameOrder / n, 3),
    };
  };
  return {
    bench: 'scale-retrieval',
    items: nItems,
    factors: k,
    queries,
    exactFloat64: figures('float64'),
    exactFloat32: { ...figures('float32'), simd: scan.simd, copyCpuMs: round(copyCpuMs, 1), copyMB: round((nItems * k * 4) / 1048576, 1) },
    hnsw: ann
      ? {
          M: 32,
          efConstruction: 200,
          buildCpuS: round(buildCpuMs / 1000, 1),
          indexBytes: ann.save().byteLength - blob.byteLength,
          byEf: RETRIEVAL_EFS.map((ef) => ({ ef, ...figures(`ef${ef}`) })),
        }
      : { skipped: `--retrieval-hnsw-up-to ${opts.retrievalHnswUpTo}` },
    node: process.version,
    loadAvg1: round(loadavg()[0], 1),
  };
}

/**
 * The default training's parts fitted one by one on the shop's events (built in memory): content,
 * co-occurrence, the hybrid's EASE (head + kNN tail) and its ALS (as `registry.ts` configures them).
 * CPU seconds of the process (every thread: ALS's helper thread counts) and wall seconds; the peak RSS
 * is the process's so far.
 */
async function fitParts(size: Size): Promise<Record<string, unknown>> {
  const { InteractionBuilder } = await import('../src/recommend/interactions.ts');
  const { itemTexts } = await import('../src/recommend/registry.ts');
  const { ContentBased } = await import('../src/recommend/models/content.ts');
  const { Cooccurrence } = await import('../src/recommend/models/cooccurrence.ts');
  const { ScaledEase } = await import('../src/recommend/models/ease-scaled.ts');
  const shop = makeShop(size.items, opts.seed);
  const builder = new InteractionBuilder(shop.items.map((i) => i.id));
  const cpu = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1e6;
  };
  const parts: Record<string, { cpuSeconds: number; wallSeconds: number; peakRssMB: number }> = {};
  let set: ReturnType<typeof builder.build> | null = null;
  const timed = (name: string, work: () => void) => {
    const c0 = cpu();
    const w0 = performance.now();
    work();
    parts[name] = {
      cpuSeconds: round(cpu() - c0, 1),
      wallSeconds: round((performance.now() - w0) / 1000, 1),
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    log(`  ${name}: ${JSON.stringify(parts[name])}`);
  };
  timed('events', () => {
    for (const e of shopEvents(shop, size.users, opts.eventsPerUser, Date.now())) builder.add(e);
    set = builder.build();
  });
  const { data, itemIds } = set!;
  timed('content', () => new ContentBased().fitText(itemTexts(itemIds, shop.items)));
  timed('cooccurrence', () => new Cooccurrence().fit(data));
  timed('easeHeadKnnTail', () => new ScaledEase({ signal: 'log' }).fit(data, { seed: 42 }));
  timed('als', () => new Als({ factors: 128, regularization: 50, alpha: 10 }).fit(data, { seed: 42 }));
  return {
    bench: 'scale-fits',
    items: size.items,
    users: size.users,
    events: data.users.length,
    node: process.version,
    parts,
    loadAvg1: round(loadavg()[0], 1),
  };
}

await main(async () => {
  if (opts.fits) {
    for (const size of parseSizes(opts.fits)) emit(await fitParts(size));
    return 0;
  }
  if (opts.chart) {
    const lines = opts.chart.split(',').flatMap((f) => scaleLinesOf(readFileSync(f, 'utf8')));
    writeFileSync(opts.out, scaleChart(lines, 'bench/scale.ts: the cost curve of a synthetic shop', opts.note));
    log(`${lines.length} sizes drawn into ${opts.out}`);
    return 0;
  }
  if (opts.retrieval) {
    for (const n of opts.retrieval.split(',').map(Number)) emit(retrieval(n, opts.seed));
    return 0;
  }
  const sizes = parseSizes(opts.sizes);
  log(
    `sizes: ${sizes.map((s) => `${s.items} items × ${s.users} users`).join(', ')}; ${opts.eventsPerUser} events per user; serving ${opts.connections} connections for ${opts.seconds} s; host ${HOST}`,
  );
  // A run stopped by the ceiling or a signal still prints what the size in flight had measured.
  onCleanup(() => emitPartial('stopped (the bench ceiling, AFIN_BENCH_MAX_MINUTES, or a signal)'));
  let failed = 0;
  for (const [k, size] of sizes.entries()) {
    try {
      emit(await measureSize(size, k));
    } catch (e) {
      failed++;
      log(`${size.items}x${size.users} failed: ${(e as Error).message}`);
      emitPartial(`failed: ${(e as Error).message.slice(0, 500)}`);
      if (!opts.keepGoing) break;
    }
  }
  return failed ? 1 : 0;
});
