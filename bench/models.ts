/**
 * Model benchmark: fit time and peak memory of EASE and ALS on MovieLens 100K (when the file is
 * there) and on a synthetic dataset of MovieLens 1M's shape (6,040 users × 3,706 items × 1M
 * interactions, long-tailed), the GFLOP/s of EASE's n×n inversion, and score latency p50/p99 for
 * a user with 50 events; beside numpy/OpenBLAS's EASE and a numpy/scipy ALS of the same algorithm on
 * the same data, when python3 has them. Fit figures are wall and CPU seconds (CPU is the steadier on
 * a shared machine), the median of `--repeat` fits. Prints one JSON line; progress goes to stderr.
 *
 *   node bin/run-ts.mjs bench/models.ts [--ml100k PATH] [--skip-1m] [--repeat N]
 *
 * ML-100k is read from `../shared/data/movielens-100k/u.data` (or `$AFIN_SHARED_DATA/…`) by default.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseMovieLens100k } from '../src/eval/datasets.ts';
import { positiveRows, toInteractions } from '../src/eval/splits.ts';
import { ALS_DEFAULTS, Als } from '../src/recommend/models/als.ts';
import { userItemCsr } from '../src/recommend/models/common.ts';
import { rng } from '../src/stats/random.ts';
import { Ease } from '../src/recommend/models/ease.ts';
import { denseSquare, invertSpd } from '../src/recommend/models/linalg.ts';
import type { HistoryEntry, Interactions, Recommender } from '../src/recommend/models/types.ts';

const args = process.argv.slice(2);
const argOf = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
/** `../shared/data` next to the project root (the project never copies it), or `AFIN_SHARED_DATA`. */
const SHARED_DATA = process.env.AFIN_SHARED_DATA ?? fileURLToPath(new URL('../../shared/data', import.meta.url));
const ML100K = argOf('--ml100k') ?? join(SHARED_DATA, 'movielens-100k/u.data');
const log = (s: string) => process.stderr.write(s + '\n');

/** Samples the process RSS every 10 ms from a worker thread, so a busy main thread is still seen. */
class RssSampler {
  private shared = new Float64Array(new SharedArrayBuffer(16));
  private worker: Worker;
  constructor() {
    this.worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       const a = new Float64Array(workerData);
       setInterval(() => { const r = process.memoryUsage.rss(); if (r > a[0]) a[0] = r; }, 10);`,
      { eval: true, workerData: this.shared.buffer },
    );
    this.worker.unref();
  }
  /** Starts a new measurement window. */
  reset(): void {
    this.shared[0] = process.memoryUsage.rss();
  }
  peakMB(): number {
    return Math.round(Math.max(this.shared[0], process.memoryUsage.rss()) / 1048576);
  }
  stop(): void {
    void this.worker.terminate();
  }
}

/** A long-tailed dataset of a given shape: Zipf-like item popularity, log-normal user activity. */
function synthetic(nUsers: number, nItems: number, nnz: number, seed: number): Interactions {
  const rand = rng(seed);
  const itemW = Float64Array.from({ length: nItems }, (_, i) => 1 / (i + 10) ** 0.9);
  const cum = new Float64Array(nItems);
  let s = 0;
  for (let i = 0; i < nItems; i++) cum[i] = s += itemW[i];
  const pick = () => {
    const x = rand() * s;
    let lo = 0;
    let hi = nItems - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const act = Float64Array.from({ length: nUsers }, () => Math.exp(1.1 * Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand())));
  const total = act.reduce((a, b) => a + b, 0);
  const cap = Math.floor(nItems * 0.6);
  const sets = Array.from({ length: nUsers }, (_, u) => {
    const want = Math.min(cap, Math.max(20, Math.round((act[u] / total) * nnz)));
    const seen = new Set<number>();
    while (seen.size < want) seen.add(pick());
    return seen;
  });
  // Top up to exactly nnz (capped heavy users leave a shortfall).
  let count = sets.reduce((a, s) => a + s.size, 0);
  while (count < nnz) {
    const u = Math.floor(rand() * nUsers);
    if (sets[u].size >= cap) continue;
    const before = sets[u].size;
    sets[u].add(pick());
    count += sets[u].size - before;
  }
  const users: number[] = [];
  const items: number[] = [];
  sets.forEach((seen, u) => {
    for (const i of seen) {
      users.push(u);
      items.push(i);
    }
  });
  const m = users.length;
  return {
    nUsers,
    nItems,
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    weights: new Float32Array(m).fill(1),
    times: Float64Array.from({ length: m }, (_, k) => 1_600_000_000_000 + k * 1000),
  };
}

const REPEAT = Math.max(1, Number(argOf('--repeat') ?? 1));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

/** Fits `REPEAT` times; the figures are medians (wall and CPU seconds), the model the last one fitted. */
function fitBench(make: () => Recommender, data: Interactions, sampler: RssSampler, label: string) {
  sampler.reset();
  const walls: number[] = [];
  const cpus: number[] = [];
  let model = make();
  for (let rep = 0; rep < REPEAT; rep++) {
    model = make();
    const c = process.cpuUsage();
    const t = performance.now();
    let last = 0;
    model.fit(data, {
      seed: 1,
      onProgress: (f) => {
        if (f - last >= 0.25 || f === 1) {
          last = f;
          log(`  ${label}: ${(f * 100).toFixed(0)}%`);
        }
      },
    });
    walls.push((performance.now() - t) / 1000);
    const used = process.cpuUsage(c);
    cpus.push((used.user + used.system) / 1e6);
  }
  return { model, fitSeconds: +median(walls).toFixed(2), fitCpuSeconds: +median(cpus).toFixed(2), peakRssMB: sampler.peakMB() };
}

function latency(model: Recommender, data: Interactions, requests: number): { p50ms: number; p99ms: number } {
  const rand = rng(99);
  const times: number[] = [];
  for (let r = 0; r < requests + 20; r++) {
    const h: HistoryEntry[] = [];
    const seen = new Set<number>();
    while (h.length < 50) {
      const k = Math.floor(rand() * data.items.length);
      if (seen.has(data.items[k])) continue;
      seen.add(data.items[k]);
      h.push({ item: data.items[k], weight: 1, time: 1_700_000_000_000 + h.length });
    }
    const t = performance.now();
    model.score(h, 1_700_000_001_000);
    if (r >= 20) times.push(performance.now() - t); // the first 20 warm the JIT
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => +times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(3);
  return { p50ms: q(0.5), p99ms: q(0.99) };
}

/**
 * numpy/OpenBLAS's EASE on the same interactions and λ (dense X, G = XᵀX + λI, P = G⁻¹, B = −P/diag P),
 * in a python3 child: the yardstick for the kernels here. Null (and said so in the output) when
 * python3 or numpy is missing. Wall and CPU seconds (OpenBLAS may use both cores: CPU is their sum).
 */
const NUMPY_EASE = `
import sys, time, numpy as np
path, n_users, n_items, lam = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
raw = np.fromfile(path, dtype=np.int32)
m = raw.size // 2
u, i = raw[:m], raw[m:]
t0, c0 = time.perf_counter(), time.process_time()
X = np.zeros((n_users, n_items), dtype=np.float64)
X[u, i] = 1.0
G = X.T @ X
G[np.diag_indices(n_items)] += lam
t1, c1 = time.perf_counter(), time.process_time()
P = np.linalg.inv(G)
t2, c2 = time.perf_counter(), time.process_time()
B = P / (-np.diag(P))
B[np.diag_indices(n_items)] = 0
t3, c3 = time.perf_counter(), time.process_time()
print(f'{{"fitSeconds": {t3 - t0:.3f}, "fitCpuSeconds": {c3 - c0:.3f}, "inversionSeconds": {t2 - t1:.3f}, "inversionCpuSeconds": {c2 - c1:.3f}, "numpy": "{np.__version__}"}}')
`;
/**
 * The same implicit ALS as models/als.ts — confidence 1 + α·log1p(w), λ, k factors, a few
 * warm-started conjugate-gradient steps per row and sweep — in numpy/scipy, every row's CG step at
 * once (batched products over all rows instead of a loop): the yardstick for the ALS sweeps.
 */
const NUMPY_ALS = `
import sys, time, numpy as np, scipy.sparse as sp
path, n_users, n_items = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
k, lam, alpha, iters, steps = int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
raw = np.fromfile(path, dtype=np.float64)
m = raw.size // 3
u, i, w = raw[:m].astype(np.int64), raw[m:2 * m].astype(np.int64), raw[2 * m:]
t0, c0 = time.perf_counter(), time.process_time()
R = sp.csr_matrix((np.sign(w) * np.log1p(np.abs(w)), (u, i)), shape=(n_users, n_items))
R.sort_indices()
Rt = R.T.tocsr()
rs0 = np.random.default_rng(1)
X = rs0.standard_normal((n_users, k)) * 0.1 / np.sqrt(k)
Y = rs0.standard_normal((n_items, k)) * 0.1 / np.sqrt(k)
def sweep(R, F, out):
    G = F.T @ F
    rows = np.repeat(np.arange(R.shape[0]), np.diff(R.indptr))
    c1 = alpha * np.abs(R.data)
    b = sp.csr_matrix((np.where(R.data > 0, 1 + alpha * R.data, 0.0), R.indices, R.indptr), shape=R.shape) @ F
    def apply(P):
        d = np.einsum('ij,ij->i', P[rows], F[R.indices]) * c1
        return P @ G + lam * P + sp.csr_matrix((d, R.indices, R.indptr), shape=R.shape) @ F
    r = b - apply(out)
    p = r.copy()
    rs = (r * r).sum(1)
    for _ in range(steps):
        Ap = apply(p)
        pAp = (p * Ap).sum(1)
        a = np.where(pAp > 0, rs / np.where(pAp > 0, pAp, 1), 0.0)
        out += a[:, None] * p
        r -= a[:, None] * Ap
        rs2 = (r * r).sum(1)
        p = r + (rs2 / np.where(rs > 0, rs, 1))[:, None] * p
        rs = rs2
    out[np.diff(R.indptr) == 0] = 0
for _ in range(iters):
    sweep(R, Y, X)
    sweep(Rt, X, Y)
t1, c1 = time.perf_counter(), time.process_time()
print(f'{{"fitSeconds": {t1 - t0:.3f}, "fitCpuSeconds": {c1 - c0:.3f}}}')
`;
function numpyAvailable(): string | null {
  const r = spawnSync('python3', ['-c', 'import numpy; print(numpy.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}
const scipyAvailable = () => spawnSync('python3', ['-c', 'import scipy.sparse'], { encoding: 'utf8' }).status === 0;
interface NumpyFigures {
  fitSeconds: number;
  fitCpuSeconds: number;
  inversionSeconds?: number;
  inversionCpuSeconds?: number;
}
/** Runs `script` in python3 on `bytes` written to a temporary file, with `args` after the path. */
function runPython(script: string, bytes: Uint8Array, args: string[], label: string): NumpyFigures | null {
  const dir = mkdtempSync(join(tmpdir(), 'afin-numpy-'));
  try {
    const file = join(dir, 'x.bin');
    writeFileSync(file, bytes);
    const r = spawnSync('python3', ['-c', script, file, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) {
      log(`  numpy ${label} failed: ${r.stderr.slice(-500)}`);
      return null;
    }
    return JSON.parse(r.stdout.trim().split('\n').pop()!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
function numpyEase(data: Interactions, lambda: number): NumpyFigures | null {
  // Only the items someone used, as the model here keeps (an all-zero row would only add λ).
  const used = new Int32Array(data.nItems).fill(-1);
  let nUsed = 0;
  for (const it of data.items) if (used[it] < 0) used[it] = nUsed++;
  const both = new Int32Array(data.users.length * 2);
  both.set(data.users, 0);
  both.set(
    Int32Array.from(data.items, (it) => used[it]),
    data.users.length,
  );
  return runPython(NUMPY_EASE, new Uint8Array(both.buffer), [String(data.nUsers), String(nUsed), String(lambda)], 'EASE');
}
function numpyAls(data: Interactions, cfg: typeof alsCfg): NumpyFigures | null {
  // The (user, item) sums of weights, as the model here aggregates them before its signal.
  const csr = userItemCsr(data);
  const nnz = csr.indices.length;
  const triples = new Float64Array(3 * nnz);
  for (let u = 0; u < csr.nRows; u++) {
    for (let q = csr.indptr[u]; q < csr.indptr[u + 1]; q++) {
      triples[q] = u;
      triples[nnz + q] = csr.indices[q];
      triples[2 * nnz + q] = csr.values[q];
    }
  }
  const args = [data.nUsers, data.nItems, cfg.factors, cfg.regularization, cfg.alpha, cfg.iterations, ALS_DEFAULTS.cgSteps].map(String);
  return runPython(NUMPY_ALS, new Uint8Array(triples.buffer), args, 'ALS');
}
const numpyVersion = numpyAvailable();
if (!numpyVersion) log('numpy is NOT installed (python3 -c "import numpy" failed): no numpy comparison in this run (apt-get install python3-numpy)');

const sampler = new RssSampler();
const out: Record<string, unknown> = { bench: 'models', node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model };
const easeCfg = { lambda: 400 };
const alsCfg = { factors: 64, regularization: 50, alpha: 10, iterations: 15 };
out.config = { ease: easeCfg, als: alsCfg, repeat: REPEAT };
out.loadAverageAtStart = loadavg().map((l) => +l.toFixed(1));
out.numpy = numpyVersion ?? 'absent: no numpy comparison (install python3-numpy)';
const withScipy = numpyVersion !== null && scipyAvailable();
if (numpyVersion && !withScipy) log('scipy is NOT installed: no numpy ALS in this run');

/** Median figures of `REPEAT` runs of one numpy yardstick. */
function numpyMedian(run: () => NumpyFigures | null): NumpyFigures | null {
  const runs: NumpyFigures[] = [];
  for (let rep = 0; rep < REPEAT; rep++) {
    const r = run();
    if (!r) return null;
    runs.push(r);
  }
  const of = (key: keyof NumpyFigures) => (runs[0][key] === undefined ? undefined : median(runs.map((r) => r[key] as number)));
  return {
    fitSeconds: of('fitSeconds')!,
    fitCpuSeconds: of('fitCpuSeconds')!,
    inversionSeconds: of('inversionSeconds'),
    inversionCpuSeconds: of('inversionCpuSeconds'),
  };
}

/** A model's fit against numpy's on the same data: numpy's seconds and the ratios, wall and CPU (target ≤ 1.5). */
function againstNumpy(kind: 'EASE' | 'ALS', data: Interactions, fit: { fitSeconds: number; fitCpuSeconds: number }) {
  if (!numpyVersion) return { numpy: 'absent' };
  if (kind === 'ALS' && !withScipy) return { numpy: 'no scipy' };
  log(`  numpy ${kind} on the same data…`);
  const np = numpyMedian(() => (kind === 'EASE' ? numpyEase(data, easeCfg.lambda) : numpyAls(data, alsCfg)));
  if (!np) return { numpy: 'failed' };
  return {
    numpyFitSeconds: np.fitSeconds,
    numpyFitCpuSeconds: np.fitCpuSeconds,
    ...(np.inversionSeconds === undefined ? {} : { numpyInversionSeconds: np.inversionSeconds, numpyInversionCpuSeconds: np.inversionCpuSeconds }),
    ratioToNumpy: +(fit.fitSeconds / np.fitSeconds).toFixed(2),
    cpuRatioToNumpy: +(fit.fitCpuSeconds / np.fitCpuSeconds).toFixed(2),
  };
}
/** The figures of one fit, as printed. */
const fitFigures = (f: { fitSeconds: number; fitCpuSeconds: number; peakRssMB: number }) => ({
  fitSeconds: f.fitSeconds,
  fitCpuSeconds: f.fitCpuSeconds,
  peakRssMB: f.peakRssMB,
});

if (existsSync(ML100K)) {
  log(`MovieLens 100K from ${ML100K}`);
  const data = toInteractions(positiveRows(parseMovieLens100k(readFileSync(ML100K, 'utf8'))));
  const ease = fitBench(() => new Ease(easeCfg), data, sampler, 'ease');
  const als = fitBench(() => new Als(alsCfg), data, sampler, 'als');
  out.ml100k = {
    interactions: data.users.length,
    ease: { ...fitFigures(ease), latency50: latency(ease.model, data, 300), ...againstNumpy('EASE', data, ease) },
    als: { ...fitFigures(als), latency50: latency(als.model, data, 300), ...againstNumpy('ALS', data, als) },
  };
} else log(`(no MovieLens 100K at ${ML100K}: skipped)`);

if (!args.includes('--skip-1m')) {
  log('synthetic ML-1M shape: 6,040 × 3,706 × ~1M');
  const data = synthetic(6040, 3706, 1_000_000, 1);
  const ease = fitBench(() => new Ease(easeCfg), data, sampler, 'ease');
  const easeLat = latency(ease.model, data, 300);
  const modelled = (ease.model as Ease).modelledItems;
  const als = fitBench(() => new Als(alsCfg), data, sampler, 'als');
  const alsLat = latency(als.model, data, 300);
  out.ml1mShape = {
    users: data.nUsers,
    items: data.nItems,
    interactions: data.users.length,
    ease: { ...fitFigures(ease), modelledItems: modelled, latency50: easeLat, ...againstNumpy('EASE', data, ease) },
    als: { ...fitFigures(als), latency50: alsLat, ...againstNumpy('ALS', data, als) },
  };
  // The inversion alone, on an n×n SPD matrix of the same size: n³ flops (Cholesky n³/3,
  // triangular inverse n³/3, product n³/3).
  const n = modelled;
  const A = denseSquare(n); // as EASE allocates it (WebAssembly memory when the SIMD kernel is there)
  const r = rng(3);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) A[i * n + j] = r() - 0.5;
    A[i * n + i] = n;
  }
  log(`  inverting ${n}×${n} …`);
  const c = process.cpuUsage();
  const t = performance.now();
  invertSpd(A, n);
  const secs = (performance.now() - t) / 1000;
  const used = process.cpuUsage(c);
  const cpuSecs = (used.user + used.system) / 1e6;
  out.easeInversion = {
    n,
    seconds: +secs.toFixed(2),
    cpuSeconds: +cpuSecs.toFixed(2),
    gflops: +(n ** 3 / secs / 1e9).toFixed(2),
    cpuGflops: +(n ** 3 / cpuSecs / 1e9).toFixed(2),
  };
}
sampler.stop();
out.loadAverage = loadavg().map((l) => +l.toFixed(1));
process.stdout.write(JSON.stringify(out) + '\n');
