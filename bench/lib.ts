/**
 * Shared plumbing for the benchmarks: argument parsing, a seeded PRNG, free ports, spawning server
 * processes (and always killing them), a keep-alive HTTP client, percentiles and throwaway PostgreSQL
 * databases. Everything talks to 127.0.0.1 only.
 */
import autocannon from 'autocannon';
import { mulberry32 } from '../src/stats/random.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const HOST = '127.0.0.1';

/** Progress goes to stderr; stdout is reserved for the one JSON line of figures. */
export function log(msg: string): void {
  process.stderr.write(`[bench] ${msg}\n`);
}

/** Prints the figures: exactly one JSON line on stdout. */
export function emit(figures: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** `--name value` / `--name=value` / `--flag` options with defaults; unknown options are an error. */
export function parseArgs<T extends Record<string, string | number | boolean>>(defaults: T, argv = process.argv.slice(2)): T {
  const out: Record<string, string | number | boolean> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    let [name, value] = a.slice(2).split('=', 2) as [string, string | undefined];
    const key = name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (!(key in defaults))
      throw new Error(
        `unknown option --${name} (known: ${Object.keys(defaults)
          .map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`)
          .join(', ')})`,
      );
    const def = defaults[key];
    if (typeof def === 'boolean' && value === undefined) {
      out[key] = true;
      continue;
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value`);
    }
    if (typeof def === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, got "${value}"`);
      out[key] = n;
    } else if (typeof def === 'boolean') out[key] = value === 'true' || value === '1';
    else out[key] = value;
  }
  return out as T;
}

/** mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  return mulberry32(seed);
}

/** Draws from a discrete distribution given as [value, weight] pairs. */
export function weighted<T>(rand: () => number, table: ReadonlyArray<readonly [T, number]>): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [v, w] of table) if ((r -= w) < 0) return v;
  return table[table.length - 1][0];
}

/** A skewed index in [0, n): a few heavy users/items and a long tail, like real traffic. */
export function skewed(rand: () => number, n: number, power = 2.2): number {
  return Math.min(n - 1, Math.floor(n * rand() ** power));
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, HOST, () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => res(port));
    });
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `afin-bench-${prefix}-`));
}

// ---------------------------------------------------------------------------------------------------
// Child processes. Every spawned process is registered here and killed on exit, error or signal.

const children = new Set<ChildProcess>();

/** Registers a child process started outside `spawnNode`, so the ceiling and the cleanup kill it too. */
export function trackChild(proc: ChildProcess): void {
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
}
const cleanups: Array<() => void | Promise<void>> = [];

function killAllSync(): void {
  for (const c of children)
    if (c.exitCode === null && c.signalCode === null) {
      try {
        c.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
}
process.on('exit', killAllSync);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    log(`${sig}: killing child servers`);
    killAllSync();
    void runCleanups().finally(() => process.exit(130));
  });
}

/** Registers an async cleanup (dropping a database, removing a temp dir) run by `main`'s finally. */
export function onCleanup(fn: () => void | Promise<void>): void {
  cleanups.push(fn);
}
async function runCleanups(): Promise<void> {
  while (cleanups.length) {
    const fn = cleanups.pop()!;
    try {
      await fn();
    } catch (e) {
      log(`cleanup failed: ${(e as Error).message}`);
    }
  }
}

/**
 * Runs a benchmark body: prints its figures, and whatever happens kills every child, runs the
 * cleanups and sets the exit code (1 on error, or what the body returns).
 */
export async function main(body: () => Promise<number | undefined>): Promise<void> {
  // A hard ceiling so no bench can run away, whatever its options say.
  const ceilingMin = Number(process.env.AFIN_BENCH_MAX_MINUTES ?? 30);
  const ceiling = setTimeout(() => {
    log(`giving up after ${ceilingMin} minutes`);
    killAllSync();
    void runCleanups().finally(() => process.exit(3));
  }, ceilingMin * 60_000);
  ceiling.unref();
  let code = 0;
  try {
    code = (await body()) ?? 0;
  } catch (e) {
    log(`FAILED: ${(e as Error).stack ?? e}`);
    code = 1;
  } finally {
    for (const c of [...children]) await stopProcess(c, 'SIGKILL');
    await runCleanups();
  }
  process.exit(code);
}

export interface Spawned {
  proc: ChildProcess;
  port: number;
  url: string;
  logFile: string;
  /** The last lines the process wrote (stdout and stderr share the log file). */
  tail(lines?: number): string;
}

/**
 * Spawns `node <args>` in the checkout with its output going to a log file (so a chatty logger never
 * blocks on a pipe, and the bench process spends no CPU reading it).
 */
export function spawnNode(name: string, args: string[], env: Record<string, string>, logDir: string, port: number): Spawned {
  const logFile = join(logDir, `${name}-${Date.now()}.log`);
  const fd = openSync(logFile, 'a');
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  const tail = (lines = 20) => {
    try {
      return readFileSync(logFile, 'utf8')
        .split('\n')
        .slice(-lines - 1)
        .join('\n');
    } catch {
      return '';
    }
  };
  return { proc, port, url: `http://${HOST}:${port}`, logFile, tail };
}

/** Waits until `GET /health` answers 200 (or the log shows `line`), or fails with the log's tail. */
export async function waitReady(s: Spawned, timeoutMs: number, opts: { line?: string; path?: string } = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (s.proc.exitCode !== null || s.proc.signalCode !== null) {
      throw new Error(`server exited (${s.proc.exitCode ?? s.proc.signalCode}) before it was ready:\n${s.tail()}`);
    }
    if (opts.line) {
      try {
        if (readFileSync(s.logFile, 'utf8').includes(opts.line)) return;
      } catch {
        /* not yet */
      }
    } else {
      const r = await request('GET', `${s.url}${opts.path ?? '/health'}`, undefined, {}, 1000).catch(() => null);
      if (r && r.status === 200) return;
    }
    await sleep(50);
  }
  throw new Error(`server not ready after ${timeoutMs} ms:\n${s.tail()}`);
}

/** Stops a child: SIGTERM (drain) and SIGKILL after a grace period, or SIGKILL straight away. */
export async function stopProcess(proc: ChildProcess, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM', graceMs = 5000): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  proc.kill(signal);
  const t = setTimeout(() => proc.kill('SIGKILL'), signal === 'SIGKILL' ? 0 : graceMs);
  await exited;
  clearTimeout(t);
}

/** `node bin/afin.mjs serve` on a free port. */
export async function spawnAfin(env: Record<string, string>, logDir: string, name = 'afin'): Promise<Spawned> {
  const port = await freePort();
  return spawnNode(name, ['bin/afin.mjs', 'serve'], { AFIN_PORT: String(port), AFIN_HOST: HOST, ...env }, logDir, port);
}

/** `node bin/run-ts.mjs bench/bare-server.ts` (Fastify through tsx, like the real server) on a free port. */
export async function spawnBare(env: Record<string, string>, logDir: string, name = 'bare'): Promise<Spawned> {
  const port = await freePort();
  return spawnNode(name, ['bin/run-ts.mjs', 'bench/bare-server.ts'], { BARE_PORT: String(port), ...env }, logDir, port);
}

// ---------------------------------------------------------------------------------------------------
// HTTP client: plain node:http with keep-alive, so the client costs as little as possible.

export interface Reply {
  status: number;
  body: string;
}

export function makeAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets });
}

export function request(
  method: string,
  url: string,
  body: string | undefined,
  headers: Record<string, string>,
  timeoutMs: number,
  agent?: http.Agent,
): Promise<Reply> {
  return new Promise((res, rej) => {
    const u = new URL(url);
    if (u.hostname !== HOST) return rej(new Error(`refusing a non-local target: ${url}`));
    const req = http.request(
      {
        host: HOST,
        port: u.port,
        path: u.pathname + u.search,
        method,
        agent: agent ?? false,
        headers: { ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}), ...headers },
        timeout: timeoutMs,
      },
      (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => res({ status: r.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        r.on('error', rej);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${u.pathname}`)));
    req.on('error', rej);
    req.end(body);
  });
}

/** A request that must answer 2xx; returns the parsed JSON. */
export async function call<T = unknown>(method: string, url: string, key: string | undefined, body?: unknown, timeoutMs = 60_000): Promise<T> {
  const r = await request(method, url, body === undefined ? undefined : JSON.stringify(body), key ? { authorization: `Bearer ${key}` } : {}, timeoutMs);
  if (r.status < 200 || r.status >= 300) throw new Error(`${method} ${url} answered ${r.status}: ${r.body.slice(0, 500)}`);
  return (r.body ? JSON.parse(r.body) : null) as T;
}

// ---------------------------------------------------------------------------------------------------
// PostgreSQL: a throwaway database per run, dropped afterwards.

export const PG_ADMIN_URL = process.env.AFIN_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function createPgDatabase(tag: string): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const { default: pg } = await import('pg');
  const admin = new URL(PG_ADMIN_URL);
  if (admin.hostname !== HOST && admin.hostname !== 'localhost') throw new Error(`refusing a non-local PostgreSQL: ${admin.hostname}`);
  const name = `afin_bench_${tag}_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  const drop = async () => {
    if (dropped || process.env.AFIN_BENCH_KEEP === '1') return;
    dropped = true;
    const d = new pg.Client({ connectionString: PG_ADMIN_URL });
    await d.connect();
    try {
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } finally {
      await d.end();
    }
    log(`dropped database ${name}`);
  };
  if (process.env.AFIN_BENCH_KEEP === '1') log(`keeping database ${name} (AFIN_BENCH_KEEP=1)`);
  else onCleanup(drop);
  return { name, url: url.toString(), drop };
}

/** Removes a temp dir at the end, unless AFIN_BENCH_KEEP=1 (to read the server logs afterwards). */
export function removeDirLater(dir: string): void {
  if (process.env.AFIN_BENCH_KEEP === '1') {
    log(`keeping ${dir} (AFIN_BENCH_KEEP=1)`);
    return;
  }
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
}

/** The server's logged errors (pino level >= 50), condensed, to explain a failed request. */
export function serverErrors(s: Spawned, max = 3): string[] {
  let text = '';
  try {
    text = readFileSync(s.logFile, 'utf8');
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const j = JSON.parse(line) as { level?: number; msg?: string; err?: { type?: string; message?: string; stack?: string; code?: string } };
      if ((j.level ?? 0) < 50) continue;
      const stack = j.err?.stack
        ?.split('\n')
        .slice(0, 4)
        .map((l) => l.trim())
        .join(' | ');
      out.push(`${j.msg ?? ''} ${j.err?.code ?? ''} ${stack ?? j.err?.message ?? ''}`.trim());
      if (out.length >= max) break;
    } catch {
      /* not JSON */
    }
  }
  return out;
}

/** What one load run measured: throughput, latency percentiles and failures. */
export interface LoadFigures {
  rps: number;
  requests: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  avgMs: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  bytesPerResponse: number;
  /** Responses by HTTP status. */
  statusCodes: Record<string, number>;
}

export interface LoadPlan {
  url: string;
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /** GETs rotating over `paths`, or POSTs to `path` rotating over JSON `bodies`. */
  paths?: string[];
  path?: string;
  bodies?: string[];
}

/**
 * One bounded autocannon run (in this process): GETs rotate over `paths`, or POSTs to `path` rotate
 * over `bodies`. Stopped by a guard too, in case autocannon's own clock misbehaves on a loaded machine.
 */
export async function loadRun(plan: LoadPlan): Promise<LoadFigures> {
  let i = 0;
  const posts = plan.bodies !== undefined;
  const rotate = posts ? plan.bodies! : (plan.paths ?? []);
  if (rotate.length === 0) throw new Error('loadRun: give paths (GET) or bodies (POST)');
  const run = autocannon({
    url: plan.url,
    connections: plan.connections,
    duration: plan.seconds,
    timeout: 10,
    headers: posts ? { ...plan.headers, 'content-type': 'application/json' } : plan.headers,
    requests: [
      posts
        ? { method: 'POST', path: plan.path, setupRequest: (req) => ({ ...req, body: rotate[i++ % rotate.length] }) }
        : { method: 'GET', setupRequest: (req) => ({ ...req, path: rotate[i++ % rotate.length] }) },
    ],
  });
  const guard = setTimeout(() => run.stop(), (plan.seconds + 30) * 1000);
  const r = await run;
  clearTimeout(guard);
  const total = r['2xx'] + r.non2xx;
  return {
    rps: round(r.requests.total / r.duration, 0),
    requests: r.requests.total,
    p50Ms: r.latency.p50,
    p90Ms: r.latency.p90,
    p99Ms: r.latency.p99,
    avgMs: round(r.latency.average, 2),
    maxMs: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    bytesPerResponse: total > 0 ? Math.round(r.throughput.total / total) : 0,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, v]) => [code, v.count])),
  };
}

/** User + system CPU seconds of a process so far (Linux /proc; null elsewhere): on a shared machine, what the work cost. */
export function cpuSecondsOf(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // After the command name (which may hold spaces, hence the last ')'): utime and stime are the 12th and 13th fields.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks, 100 per second on Linux
  } catch {
    return null;
  }
}
