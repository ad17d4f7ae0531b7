/**
 * Recommendation latency and throughput: autocannon (in this process) drives GET /v1/recommendations
 * with 32 connections against `afin demo` (a spawned process, demo store loaded and trained), userIds
 * rotating across requests, side by side with a bare Fastify server (its own process) answering a
 * constant JSON of the same size, without and with a bearer-key check.
 *
 *   node bin/run-ts.mjs bench/recommend.ts [--seconds 15] [--warmup 3] [--connections 32] [--n 10]
 *     [--demo-items 300] [--demo-shoppers 200] [--log-level info] [--log-format json] [--cpu-prof-dir DIR]
 *
 * Headline: ratio = recommend rps / bare rps. Prints progress on stderr and one JSON line on stdout.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import {
  HOST,
  call,
  cpuSecondsOf,
  emit,
  freePort,
  type LoadFigures,
  loadRun,
  log,
  main,
  parseArgs,
  removeDirLater,
  round,
  serverErrors,
  spawnBare,
  spawnNode,
  stopProcess,
  tempDir,
  waitReady,
} from './lib.ts';

const opts = parseArgs({
  seconds: 15,
  warmup: 3,
  connections: 32,
  n: 10,
  demoItems: 300,
  demoShoppers: 200,
  logLevel: 'info',
  /**
   * AFIN_LOG_FORMAT of the served process: `json`, as `afin serve` logs when its output is not a terminal
   * and as the bare server logs; `afin demo` alone would print readable lines, which cost more per request.
   */
  logFormat: 'json',
  startupSeconds: 300,
  /**
   * AFIN_RATE_LIMITS for the server's `public` scope: all the load comes through one key here (as it
   * does through a site's embedded key), and the bench measures the recommendation path, not the limiter.
   */
  publicRateLimit: 1_000_000,
  /** A folder: the served process runs under `node --cpu-prof` and writes its profile there when stopped. */
  cpuProfDir: '',
});

const ADMIN_KEY = 'bench-admin-key-0123456789';

/**
 * What the demo's database holds: its logical size (pages in use, the WAL included) and the
 * recommendation logs (count and serialized bytes: body, id, subject). Read through a read-only
 * connection, so it works while the server runs and after it stopped.
 */
function diskUse(file: string): { dbBytes: number; logs: number; logBytes: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const pages = db.pragma('page_count', { simple: true }) as number;
    const size = db.pragma('page_size', { simple: true }) as number;
    const r = db
      .prepare(
        "SELECT count(*) AS n, coalesce(sum(length(CAST(body AS BLOB)) + length(id) + coalesce(length(subject), 0)), 0) AS bytes FROM docs WHERE collection = 'recommendation'",
      )
      .get() as { n: number; bytes: number };
    return { dbBytes: pages * size, logs: r.n, logBytes: r.bytes };
  } finally {
    db.close();
  }
}

/**
 * A process's user and system CPU seconds so far (/proc/<pid>/stat), or null: the system part holds the
 * kernel's share of each answer (socket writes, the log's database writes and syncs).
 */
function cpuSplitOf(pid: number | undefined): { user: number; system: number } | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
  } catch {
    return null;
  }
}

/** One bounded autocannon run at the chosen connections; `paths` rotate across requests. */
const cannon = (url: string, paths: string[], headers: Record<string, string>, seconds: number): Promise<LoadFigures> =>
  loadRun({ url, paths, headers, seconds, connections: opts.connections });

await main(async () => {
  if (opts.seconds <= 0 || opts.seconds > 600) throw new Error('--seconds must be in (0, 600]');
  if (opts.connections < 1 || opts.connections > 1024) throw new Error('--connections must be 1..1024');
  const work = tempDir('recommend');
  removeDirLater(work);

  // 1. The demo store, served.
  const demoPort = await freePort();
  log(`starting afin demo (${opts.demoItems} items, ${opts.demoShoppers} shoppers) on ${HOST}:${demoPort}`);
  const demo = spawnNode(
    'afin-demo',
    [
      ...(opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : []),
      'bin/afin.mjs',
      'demo',
      '--items',
      String(opts.demoItems),
      '--shoppers',
      String(opts.demoShoppers),
    ],
    {
      AFIN_PORT: String(demoPort),
      AFIN_HOST: HOST,
      AFIN_DATA_DIR: join(work, 'data'),
      AFIN_ADMIN_KEY: ADMIN_KEY,
      AFIN_LOG_LEVEL: opts.logLevel,
      AFIN_LOG_FORMAT: opts.logFormat,
      AFIN_RATE_LIMITS: `public=${opts.publicRateLimit}`,
    },
    work,
    demoPort,
  );
  const t0 = performance.now();
  await waitReady(demo, opts.startupSeconds * 1000, { line: 'Afín demo is running' });
  log(`demo ready in ${round((performance.now() - t0) / 1000)} s`);

  // A browser-scoped key, as a site would embed: the realistic credential for this route.
  const { key } = await call<{ key: string }>('POST', `${demo.url}/v1/keys`, ADMIN_KEY, { scope: 'public', name: 'bench' });
  const { shoppers } = await call<{ shoppers: Array<{ id: string }> }>('GET', `${demo.url}/v1/demo/shoppers`, key);
  const users = shoppers.map((s) => s.id);
  if (users.length === 0) throw new Error('the demo store has no shoppers');
  const query = (u: string) => `/v1/recommendations?userId=${encodeURIComponent(u)}&n=${opts.n}`;
  const sample = await call<{ items: unknown[]; personalized: boolean }>('GET', `${demo.url}${query(users[0])}`, key);
  if (sample.items.length === 0) throw new Error(`no recommendations for ${users[0]}: ${JSON.stringify(sample)}`);
  const sampleFile = join(work, 'recommendation.json');
  writeFileSync(sampleFile, JSON.stringify(sample));
  log(`${users.length} users; a sample answer has ${sample.items.length} items, ${JSON.stringify(sample).length} bytes`);

  // 2. The bare server, answering that same JSON.
  const bare = await spawnBare({ BARE_KEY: key, BARE_RECOMMEND_BODY_FILE: sampleFile, BARE_LOG_LEVEL: opts.logLevel }, work);
  await waitReady(bare, 60_000);

  // 3. Side by side, each warmed up first. Paths: every user in turn (shuffled deterministically).
  const order = users
    .map((u, i) => ({ u, k: (i * 7919) % users.length }))
    .sort((a, b) => a.k - b.k)
    .map((x) => x.u);
  const paths = order.map(query);
  const auth = { authorization: `Bearer ${key}` };
  const targets: Record<string, LoadFigures> = {};
  const dbFile = join(work, 'data', 'demo', 'afin.db'); // `afin demo` keeps its store in <data>/demo
  if (!existsSync(dbFile)) throw new Error(`the demo's database is not at ${dbFile}`);
  let before = diskUse(dbFile);
  let recommendRequests = 0;
  // Server CPU per answered request, measured run only: on a machine shared with other work the
  // throughput ratio swings with the load, CPU per request much less.
  const cpuUsPerRequest: Record<string, number | null> = {};
  /** The same, user and system (kernel) time apart. */
  const cpuSplitUsPerRequest: Record<string, { user: number; system: number } | null> = {};
  const plan: Array<[string, string, string[], Record<string, string>]> = [
    ['bare', bare.url, paths, {}],
    ['bareAuth', bare.url, paths.map((p) => `/auth${p}`), auth],
    ['recommend', demo.url, paths, auth],
  ];
  for (const [label, url, ps, headers] of plan) {
    if (label === 'recommend') {
      before = diskUse(dbFile);
      // Each person's first answer scores the whole catalogue (then memoised until their history or the
      // models change): asked once per person first, so that a loaded machine's slow warm-up does not
      // leave first answers in the measured run.
      for (const p of ps) await call('GET', `${url}${p}`, key);
      recommendRequests += ps.length;
    }
    if (opts.warmup > 0) {
      const w = await cannon(url, ps, headers, opts.warmup);
      if (label === 'recommend') recommendRequests += w.requests;
    }
    log(`${label}: ${opts.connections} connections for ${opts.seconds} s`);
    const pid = label === 'recommend' ? demo.proc.pid : bare.proc.pid;
    const cpu0 = cpuSecondsOf(pid);
    const split0 = cpuSplitOf(pid);
    const f = await cannon(url, ps, headers, opts.seconds);
    const cpu1 = cpuSecondsOf(pid);
    const split1 = cpuSplitOf(pid);
    cpuUsPerRequest[label] = cpu0 !== null && cpu1 !== null && f.requests > 0 ? Math.round(((cpu1 - cpu0) * 1e6) / f.requests) : null;
    cpuSplitUsPerRequest[label] =
      split0 !== null && split1 !== null && f.requests > 0
        ? { user: Math.round(((split1.user - split0.user) * 1e6) / f.requests), system: Math.round(((split1.system - split0.system) * 1e6) / f.requests) }
        : null;
    targets[label] = f;
    if (label === 'recommend') recommendRequests += f.requests;
    log(
      `${label}: ${f.rps} req/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, ${f.bytesPerResponse} B/response, non-2xx ${f.non2xx} ${JSON.stringify(f.statusCodes)}, errors ${f.errors}`,
    );
    if (label === 'recommend' && (f.non2xx || f.errors)) for (const l of serverErrors(demo)) log(`demo server log: ${l}`);
  }
  await stopProcess(bare.proc);
  await stopProcess(demo.proc);
  // Bytes written per request: what every GET /v1/recommendations leaves on disk (its log document).
  const after = diskUse(dbFile);
  const perRequest = (bytes: number) => (recommendRequests > 0 ? round(bytes / recommendRequests, 0) : 0);
  const written = {
    requests: recommendRequests,
    logsKept: after.logs - before.logs,
    logBytesPerRequest: perRequest(after.logBytes - before.logBytes),
    logBytesPerDoc: after.logs > before.logs ? round((after.logBytes - before.logBytes) / (after.logs - before.logs), 0) : 0,
    dbBytesPerRequest: perRequest(after.dbBytes - before.dbBytes),
    dbBytesAfter: after.dbBytes,
  };
  log(
    `written: ${written.logBytesPerRequest} B of log per request (${written.logBytesPerDoc} B per log document), database grew ${written.dbBytesPerRequest} B per request`,
  );

  const ratio = round(targets.recommend.rps / targets.bare.rps, 3);
  emit({
    bench: 'recommend',
    seconds: opts.seconds,
    connections: opts.connections,
    n: opts.n,
    users: users.length,
    demoItems: opts.demoItems,
    demoShoppers: opts.demoShoppers,
    logLevel: opts.logLevel,
    logFormat: opts.logFormat,
    keyScope: 'public',
    publicRateLimit: opts.publicRateLimit,
    node: process.version,
    cpus: cpus().length,
    recommend_rps: targets.recommend.rps,
    bare_rps: targets.bare.rps,
    bareAuth_rps: targets.bareAuth.rps,
    ratio,
    ratioTarget: 0.5,
    meetsTarget: ratio >= 0.5,
    ratioVsBareAuth: round(targets.recommend.rps / targets.bareAuth.rps, 3),
    cpuUsPerRequest,
    cpuRatio: cpuUsPerRequest.bare && cpuUsPerRequest.recommend ? round(cpuUsPerRequest.bare / cpuUsPerRequest.recommend, 3) : null,
    cpuSplitUsPerRequest,
    targets,
    bytesWrittenPerRequest: written.dbBytesPerRequest,
    logBytesPerRequest: written.logBytesPerRequest,
    written,
  });
  const failed = Object.values(targets).some((t) => t.non2xx > 0 || t.errors > 0);
  return failed ? 1 : 0;
});
