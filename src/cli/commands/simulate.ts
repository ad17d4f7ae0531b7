import type { Command } from 'commander';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { loadConfig } from '../../config.ts';
import { EVENT_TYPES } from '../../domain/schemas.ts';
import { buildApp } from '../../server/app.ts';
import { Engine } from '../../server/compose.ts';
import { analyse } from '../../simulate/analysis.ts';
import { ARMS, CHAT_ARM, parseArms, workspaceFor, type Arm } from '../../simulate/arms.ts';
import { conversionChart } from '../../simulate/chart.ts';
import { funnelFigures, TAOBAO_FUNNEL, type BehaviourRow } from '../../simulate/funnel.ts';
import { projectStatistics } from '../../simulate/statistics.ts';
import { formatAnalysis } from '../../simulate/report.ts';
import { DAY_MS, simulateWorld, simulationResult, type ArmOutcome, type WorldOptions } from '../../simulate/run.ts';
import { httpShopApi, ShopApiError, type ShopApi } from '../../simulate/shop-api.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { progressBar } from '../progress.ts';

/** Day 0 of an in-process run: a fixed date, so the same seed gives the same run whenever it is made. */
const IN_PROCESS_START = Date.UTC(2025, 2, 3);
const TAOBAO_FILE = join(
  process.env.AFIN_SHARED_DATA ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url)),
  'ecommerce-taobao-userbehavior-sample',
  'UserBehavior_head.csv',
);

/**
 * An Afín in this process on a throwaway embedded store, with a clock the simulation moves, answering
 * through Fastify's `inject`: the same routes, keys, validation and answers as over a socket, without
 * a socket's cost per request. The store sits on a RAM disk when there is one: the data is thrown away
 * at the end, so an fsync per write would only slow the run.
 */
export async function inProcessShop(start: number): Promise<{ api: ShopApi; setClock: (ms: number) => void; close: () => Promise<void> }> {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'afin-simulate-'));
  const root = `simulate-${process.pid}-root`;
  let now = start;
  const store = new SqliteStore(join(dir, 'afin.db'));
  await store.migrate();
  const engine = new Engine(store, { adminKey: root }, { clock: () => now, retrainAfterErasureMs: null });
  const app = await buildApp({ engine, logger: false });
  return {
    api: {
      async call(method, url, payload, workspace) {
        const headers: Record<string, string> = { authorization: `Bearer ${root}` };
        if (workspace) headers['afin-workspace'] = workspace;
        const res = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
        if (res.statusCode >= 400) throw new ShopApiError(method, url, res.statusCode, res.body);
        return res.statusCode === 204 || !res.body ? null : res.json();
      },
    },
    setClock: (ms) => {
      now = ms;
    },
    close: async () => {
      await app.close();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a world's thread is given: everything but the server, which it starts itself. */
type WorldJob = Omit<WorldOptions, 'api' | 'setClock' | 'onProgress' | 'servePage'>;
type WorldMessage = { kind: 'progress'; fraction: number; note: string } | { kind: 'done'; outcome: ArmOutcome } | { kind: 'error'; message: string };
const WORLD_THREAD = 'afin-simulate-world';
/** The arms from the dearest world to simulate to the cheapest. */
const WORLD_COST: readonly Arm[] = ['personalized+chat', 'personalized', 'segment', 'popular', 'random'];

/** One world on its own in-process server. */
async function worldInProcess(job: WorldJob, onProgress: (fraction: number, note: string) => void): Promise<ArmOutcome> {
  const shop = await inProcessShop(job.start);
  try {
    return await simulateWorld({ ...job, api: shop.api, setClock: shop.setClock, onProgress });
  } finally {
    await shop.close();
  }
}

/**
 * A worker thread (this same file, loaded through tsx) that simulates the worlds it is given, one
 * after another, so that worlds use every core. Each world has its own server, store and clock: the
 * threads share nothing, and the result does not depend on how they are scheduled.
 */
class WorldThread {
  private readonly worker: Worker;
  private current: { resolve: (o: ArmOutcome) => void; reject: (e: Error) => void; onProgress: (f: number, note: string) => void } | null = null;

  constructor() {
    const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
    this.worker = new Worker(boot, { eval: true, workerData: { kind: WORLD_THREAD } });
    this.worker.on('message', (m: WorldMessage) => {
      const c = this.current;
      if (!c) return;
      if (m.kind === 'progress') return c.onProgress(m.fraction, m.note);
      this.current = null;
      if (m.kind === 'done') c.resolve(m.outcome);
      else c.reject(new Error(m.message));
    });
    const fail = (e: Error) => {
      this.current?.reject(e);
      this.current = null;
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`a simulation thread exited with code ${code}`)));
  }

  run(job: WorldJob, onProgress: (fraction: number, note: string) => void): Promise<ArmOutcome> {
    return new Promise((resolve, reject) => {
      this.current = { resolve, reject, onProgress };
      this.worker.postMessage(job);
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

if (!isMainThread && (workerData as { kind?: string } | null)?.kind === WORLD_THREAD) {
  const post = (m: WorldMessage) => parentPort!.postMessage(m);
  parentPort!.on('message', (job: WorldJob) => {
    worldInProcess(job, (fraction, note) => post({ kind: 'progress', fraction, note })).then(
      (outcome) => post({ kind: 'done', outcome }),
      (e: Error) => post({ kind: 'error', message: e.stack ?? e.message }),
    );
  });
}

/** Runs the jobs on `lanes` (each takes the next job when it is free); answers in the jobs' order. */
async function onLanes<J, T>(jobs: J[], lanes: Array<(job: J) => Promise<T>>): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    lanes.map(async (lane) => {
      while (next < jobs.length) {
        const k = next++;
        out[k] = await lane(jobs[k]);
      }
    }),
  );
  return out;
}

/** The Taobao sample's rows (user_id,item_id,category_id,behavior_type,timestamp). */
function readTaobao(path: string): BehaviourRow[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const rows: BehaviourRow[] = [];
  for (let k = 1; k < lines.length; k++) {
    const f = lines[k].split(',');
    if (f.length < 5) continue;
    rows.push({ user: f[0], item: f[1], type: f[3], time: Number(f[4]) });
  }
  return rows;
}

function calibrate(path: string): void {
  const f = funnelFigures(readTaobao(path));
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  process.stdout.write(
    [
      `Taobao UserBehavior sample (${path}), official window 2017-11-25 to 12-03:`,
      `  ${f.rows} rows, ${f.users} users, ${f.sessions} sessions (30-minute gap)`,
      `  ${f.views} page views, ${f.carts} adds to cart, ${f.buys} purchases`,
      `  cart per view      ${pct(f.cartPerView)}   (shipped: ${pct(TAOBAO_FUNNEL.cartPerView)})`,
      `  buys per cart      ${f.buyPerCart.toFixed(3)}     (shipped: ${TAOBAO_FUNNEL.buyPerCart})`,
      `  buy per view       ${pct(f.buyPerView)}`,
      `  views per session  ${f.viewsPerSession.toFixed(2)}   (not used: see src/simulate/funnel.ts)`,
      `  buying day share   ${pct(f.buyingDayShare)}`,
      '',
    ].join('\n'),
  );
}

function positive(s: string, name: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got "${s}"`);
  return n;
}

interface SimulateFlags {
  days: string;
  users: string;
  items: string;
  seed: string;
  arms: string;
  out?: string;
  url?: string;
  key?: string;
  retrainEvery: string;
  historyWeeks: string;
  threads?: string;
  calibrate?: string | boolean;
}

export function registerSimulate(program: Command) {
  program
    .command('simulate')
    .description(
      'simulated shoppers with hidden tastes shop for days through the HTTP API, one world per arm (random, popular, segment, personalized, personalized+chat: the assistant serves a share of visits through POST /v1/chat): conversion, order value, revenue, engagement, churn and NPS with 95 % intervals, and a chart',
    )
    .option('--days <n>', 'simulated days', '28')
    .option('--users <n>', 'shoppers (the same ones in every arm)', '400')
    .option('--items <n>', 'catalogue size', '300')
    .option('--seed <n>', 'generator seed', '7')
    .option('--arms <list>', `comma-separated arms (${ARMS.join(', ')})`, ARMS.join(','))
    .option('--out <dir>', 'folder for the chart, the table and the raw results (default: <data dir>/simulate)')
    .option('--url <url>', 'simulate against a running Afín instead of one started here (needs --key)')
    .option('--key <key>', 'with --url: the root key (each arm gets its own workspace)')
    .option('--retrain-every <days>', 'retrain each world every this many days', '7')
    .option('--threads <n>', 'worlds simulated at once, each in its own thread with its own server (default: the number of cores)')
    .option('--history-weeks <n>', 'weeks of shopping history each world starts with', '4')
    .option('--calibrate [file]', 'recompute the funnel rates from the Taobao sample and exit')
    .action(async (o: SimulateFlags) => {
      if (o.calibrate !== undefined) {
        calibrate(typeof o.calibrate === 'string' ? resolve(o.calibrate) : TAOBAO_FILE);
        return;
      }
      if (o.url && !o.key) throw new Error('--url needs --key (the root key: the simulator makes one workspace per arm)');
      const days = positive(o.days, 'days');
      const users = positive(o.users, 'users');
      const items = positive(o.items, 'items');
      const seed = Number(o.seed);
      if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got "${o.seed}"`);
      const arms = parseArms(o.arms);
      const outDir = resolve(o.out ?? join(loadConfig().dataDir, 'simulate'));

      // In process: a fixed day 0, so the same seed gives the same run whenever it is made. Against a
      // running server: the last `days` before now (its clock is its own), and workspaces with a fresh
      // suffix so that a second run does not meet the first one's.
      const start = o.url ? Math.floor((Date.now() - (days + 1) * DAY_MS) / DAY_MS) * DAY_MS : IN_PROCESS_START;
      const prefix = o.url ? `sim-${seed}-${Date.now().toString(36)}` : `sim-${seed}`;
      const threads = Math.min(arms.length, o.threads ? positive(o.threads, 'threads') : availableParallelism());
      const jobs: WorldJob[] = arms.map((arm: Arm) => ({
        arm,
        workspace: workspaceFor(prefix, arm),
        seed,
        days,
        users,
        items,
        start,
        historyWeeks: positive(o.historyWeeks, 'history-weeks'),
        retrainEvery: positive(o.retrainEvery, 'retrain-every'),
        surveys: (EVENT_TYPES as readonly string[]).includes('survey'),
      }));
      const bar = progressBar('simulating');
      const fractions = new Array(jobs.length).fill(0);
      const report = (k: number) => (fraction: number, note: string) => {
        fractions[k] = fraction;
        bar.update(fractions.reduce((a, b) => a + b, 0) / fractions.length, note);
      };
      const started = performance.now();
      // Against a server, every world at once (it is the server that works); in process, this thread
      // and `threads - 1` worker threads, each taking the next world when it is free.
      let outcomes: ArmOutcome[];
      if (o.url) {
        const remote = httpShopApi(o.url, o.key!);
        outcomes = await Promise.all(jobs.map((job, k) => simulateWorld({ ...job, api: remote, onProgress: report(k) })));
      } else {
        // The dearest worlds first (the personalized one trains and scores the most), so that no lane
        // is left with a long world at the end.
        const order = jobs.map((_, k) => k).sort((a, b) => WORLD_COST.indexOf(jobs[a].arm) - WORLD_COST.indexOf(jobs[b].arm));
        const helpers = Array.from({ length: threads - 1 }, () => new WorldThread());
        try {
          const done = await onLanes(order, [
            (k: number) => worldInProcess(jobs[k], report(k)),
            ...helpers.map((t) => (k: number) => t.run(jobs[k], report(k))),
          ]);
          outcomes = jobs.map((_, k) => done[order.indexOf(k)]);
        } finally {
          await Promise.all(helpers.map((t) => t.close()));
        }
      }
      const seconds = (performance.now() - started) / 1000;
      bar.done(`${seconds.toFixed(0)} s`);
      const result = simulationResult({ seed, days, items }, outcomes);
      const requests = outcomes.reduce((a, w) => a + w.requests, 0);
      const events = outcomes.reduce((a, w) => a + w.eventsSent, 0);
      const chat = outcomes.find((w) => w.arm === CHAT_ARM)?.chat;

      const analysis = analyse(result, projectStatistics);
      mkdirSync(outDir, { recursive: true });
      const chart = join(outDir, 'conversion.svg');
      writeFileSync(chart, conversionChart(result));
      writeFileSync(join(outDir, 'table.md'), formatAnalysis(analysis, { markdown: true }) + '\n');
      writeFileSync(join(outDir, 'analysis.json'), JSON.stringify({ options: { seed, days, users, items, arms }, analysis }, null, 2) + '\n');
      process.stdout.write(
        [
          `afin simulate: ${users} shoppers, ${items} items, ${days} days, seed ${seed}; ${requests} API requests, ${events} events, ${seconds.toFixed(1)} s (${o.url ? o.url : `${threads} thread${threads > 1 ? 's' : ''}`})`,
          ...(chat
            ? [
                `${CHAT_ARM}: the assistant served ${chat.visits} visits (POST /v1/chat, ${chat.messages} messages); ${chat.empty} conversations showed nothing and fell back to the page`,
              ]
            : []),
          '',
          formatAnalysis(analysis),
          '',
          `Chart of daily conversion: ${chart}`,
          `Table (Markdown) and figures: ${join(outDir, 'table.md')}, ${join(outDir, 'analysis.json')}`,
          '',
        ].join('\n'),
      );
    });
}
