import { afterEach, describe, expect, it, vi } from 'vitest';
import { Als } from '../../../src/recommend/models/als.ts';
import { pack, unpackModel } from '../../../src/recommend/models/pack.ts';
import { topK } from '../../../src/recommend/models/top-k.ts';
import type { HistoryEntry, Interactions } from '../../../src/recommend/models/types.ts';
import { FactorScan, gemvJs, gemvModule, gemvModuleBytes, gemvWorkspace } from '../../../src/recommend/models/wasm-gemv.ts';
import { rng } from '../../../src/stats/random.ts';

/** Σₐ Y[i, a] · x[a] in float64 over the float32-rounded inputs, and Σ |Y[i, a] · x[a]| (the error scale). */
function reference(Y: ArrayLike<number>, n: number, k: number, x: ArrayLike<number>): { want: Float64Array; scale: Float64Array } {
  const want = new Float64Array(n);
  const scale = new Float64Array(n);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < k; a++) {
      const p = Math.fround(Y[i * k + a]) * Math.fround(x[a]);
      want[i] += p;
      scale[i] += Math.abs(p);
    }
  return { want, scale };
}

const randomRows = (n: number, seed: number) => {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => r() - 0.5);
};

// Factor counts around the four lanes, small and odd row counts.
const SIZES: [number, number][] = [
  [1, 1],
  [2, 3],
  [3, 5],
  [4, 4],
  [5, 7],
  [7, 2],
  [8, 8],
  [9, 127],
  [13, 129],
  [66, 130],
];

describe('float32 matrix–vector kernel (WebAssembly SIMD)', () => {
  it('assembles into a module this Node compiles, which FactorScan uses', () => {
    expect(WebAssembly.validate(gemvModuleBytes())).toBe(true);
    expect(gemvModule()).not.toBeNull();
    expect(new FactorScan(new Float64Array(12), 3, 4).simd).toBe(true);
  });

  it.each(SIZES)('scores n = %i rows of k = %i factors as the plain loop does', (n, k) => {
    const Y = randomRows(n * k, n * 1000 + k);
    const x = randomRows(k, k + 7);
    const { want, scale } = reference(Y, n, k, x);
    const scan = new FactorScan(Y, n, k);
    expect(scan.simd).toBe(true);
    const got = scan.scores(x, new Float32Array(n).fill(Number.NaN));
    for (let i = 0; i < n; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-6 * scale[i] + 1e-30);
    // A second vector: nothing of the first is left.
    const x2 = randomRows(k, k + 8);
    const again = reference(Y, n, k, x2);
    const view = scan.scores(x2);
    expect(view.length).toBe(n);
    for (let i = 0; i < n; i++) expect(Math.abs(view[i] - again.want[i])).toBeLessThanOrEqual(1e-6 * again.scale[i] + 1e-30);
  });

  it('reads strided rows at unaligned addresses and writes only the n scores', () => {
    const ws = gemvWorkspace(65536);
    if (!ws) throw new Error('no WebAssembly workspace');
    const F = new Float32Array(ws.memory.buffer, 0, 16384);
    const r = rng(3);
    for (let p = 0; p < F.length; p++) F[p] = r() - 0.5;
    const [n, k, ld] = [11, 37, 41];
    const [yo, xo, oo] = [1, 5_003, 9_001];
    const before = F.slice();
    const Y = new Float64Array(n * k);
    for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) Y[i * k + a] = F[yo + i * ld + a];
    const { want, scale } = reference(Y, n, k, F.subarray(xo, xo + k));
    ws.gemv(n, k, yo * 4, ld * 4, xo * 4, oo * 4);
    for (let i = 0; i < n; i++) expect(Math.abs(F[oo + i] - want[i])).toBeLessThanOrEqual(1e-6 * scale[i]);
    const touched: number[] = [];
    for (let p = 0; p < F.length; p++) if (F[p] !== before[p] && (p < oo || p >= oo + n)) touched.push(p);
    expect(touched).toEqual([]);
  });
});

describe('scores of some rows only', () => {
  it.each([true, false])('are the values the whole scan gives those rows, and nothing else is written (simd: %s)', (simd) => {
    const [n, k] = [23, 130];
    const Y = randomRows(n * k, 77);
    const x = randomRows(k, 78);
    const scan = new FactorScan(Y, n, k, { simd });
    expect(scan.simd).toBe(simd);
    const all = scan.scores(x, new Float32Array(n));
    const items = [22, 0, 5, 13, 4];
    const some = new Float32Array(n).fill(Number.NaN);
    scan.scoresOf(x, items, some);
    for (let i = 0; i < n; i++) expect(some[i]).toBe(items.includes(i) ? all[i] : Number.NaN);
  });
});

describe('the JavaScript fallback', () => {
  it.each(SIZES)('scores n = %i rows of k = %i factors as the plain loop does', (n, k) => {
    const Y = randomRows(n * k, n * 1000 + k);
    const x = randomRows(k, k + 7);
    const { want, scale } = reference(Y, n, k, x);
    const scan = new FactorScan(Y, n, k, { simd: false });
    expect(scan.simd).toBe(false);
    const got = scan.scores(x, new Float32Array(n).fill(Number.NaN));
    for (let i = 0; i < n; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-6 * scale[i] + 1e-30);
    const direct = new Float32Array(n).fill(Number.NaN);
    gemvJs(Float32Array.from(Y), n, k, Float32Array.from(x), direct);
    expect(direct).toEqual(got);
  });
});

/** Random interactions: people with 1–12 items, a few net-negative cells. */
function randomData(nUsers: number, nItems: number, seed: number): Interactions {
  const rand = rng(seed);
  const users: number[] = [];
  const items: number[] = [];
  const weights: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    const n = 1 + Math.floor(rand() * 12);
    // A taste: most of a person's items from one band of the catalogue, so the factors have structure.
    const band = Math.floor(rand() * 5);
    for (let t = 0; t < n; t++) {
      users.push(u);
      items.push(rand() < 0.8 ? (band * Math.floor(nItems / 5) + Math.floor(rand() * (nItems / 5))) % nItems : Math.floor(rand() * nItems));
      weights.push(rand() < 0.1 ? -1 : 1 + Math.floor(rand() * 3));
    }
  }
  return {
    nUsers,
    nItems,
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    weights: Float32Array.from(weights),
    times: new Float64Array(users.length),
  };
}

function historiesOf(data: Interactions): HistoryEntry[][] {
  const h: HistoryEntry[][] = Array.from({ length: data.nUsers }, () => []);
  for (let e = 0; e < data.users.length; e++) h[data.users[e]].push({ item: data.items[e], weight: data.weights[e], time: 0 });
  return h;
}

/** The same fitted model scoring with the float64 loop (as before the float32 scan). */
function asFloat64(model: Als, cls: typeof Als = Als): Als {
  const { header, arrays } = unpackModel(model.save(), 'als', 1);
  return cls.load(pack({ ...header, options: { ...(header.options as object), exactScan: 'float64' } }, arrays as never));
}

/** Every person's top 10 and every item's most similar, float32 scan against float64 loop. */
function expectSameRankings(f32: Als, f64: Als, data: Interactions): void {
  let compared = 0;
  for (const history of historiesOf(data)) {
    const a = f32.score(history, 0).scores;
    const b = f64.score(history, 0).scores;
    if (!b.some(Number.isFinite)) continue;
    compared++;
    expect(Array.from(topK(a, 10))).toEqual(Array.from(topK(b, 10)));
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < b.length; i++) {
      scale = Math.max(scale, Math.abs(b[i]));
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
    }
    expect(diff).toBeLessThanOrEqual(1e-5 * scale);
  }
  expect(compared).toBeGreaterThan(data.nUsers / 2);
  // Similar items: the float32 scan's near candidates scored again in float64, so the same to the bit.
  for (let i = 0; i < data.nItems; i++) for (const n of [1, 10, data.nItems]) expect(f32.similar(i, n)).toEqual(f64.similar(i, n));
}

describe('ALS scoring on the float32 scan', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it.each([13, 32])('ranks every person and item as the float64 loop did (k = %i)', (k) => {
    const data = randomData(300, 157, 5);
    const model = new Als({ factors: k, regularization: 0.5, iterations: 6 });
    model.fit(data, { seed: 11 });
    expect(model.options.exactScan).toBe('float32');
    expectSameRankings(model, asFloat64(model), data);
  });

  it('scores with the new factors after a second fit', () => {
    const model = new Als({ factors: 12, regularization: 0.5, iterations: 4 });
    model.fit(randomData(200, 90, 1), { seed: 1 });
    const data = randomData(200, 91, 2);
    model.score(historiesOf(data)[0], 0);
    model.fit(data, { seed: 2 });
    expectSameRankings(model, asFloat64(model), data);
  });

  it('without WebAssembly, scores in JavaScript to the same rankings', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    const scanModule = await import('../../../src/recommend/models/wasm-gemv.ts');
    expect(scanModule.gemvModule()).toBeNull();
    expect(new scanModule.FactorScan(new Float64Array(4), 1, 4).simd).toBe(false);
    const { Als: AlsNoWasm } = await import('../../../src/recommend/models/als.ts');
    const data = randomData(200, 101, 9);
    const model = new AlsNoWasm({ factors: 13, regularization: 0.5, iterations: 4 });
    model.fit(data, { seed: 3 });
    expectSameRankings(model, asFloat64(model, AlsNoWasm), data);
  });
});
