/**
 * A hierarchical navigable small-world graph (Malkov & Yashunin 2018) over item factors, for
 * maximum-inner-product retrieval: the items whose factor y has the largest x·y for a user factor x,
 * as ALS scores them (not by angle: a long item vector outranks a short one in the same direction).
 *
 * The graph is built and searched on the inner product itself (ip-NSW, Morozov & Babenko 2018), with
 * 1 − x·y / (‖x‖·N) as the "distance" (N: the largest item norm, so it lies in [0, 2]). It is not a
 * metric, and the standard way to get one, adding the coordinate √(N² − ‖y‖²) so every item has norm
 * N and the largest inner product is the nearest item (Bachrach et al. 2014), was tried and lost:
 * it packs the short items near one pole, and recall@10 at ef = 20 on 2,000 vectors with norms spread
 * 16-fold was 0.88 with it and 0.97 without (M = 16). Queries rank by inner product either way.
 *
 * The graph is typed arrays: `links` holds, per item and per layer it lives on, a count and then its
 * neighbours (2M slots on layer 0, M above). The stored form is the graph alone (levels and links);
 * the vectors come back from the factors the model stores anyway (`hnswFromState`).
 *
 * @example
 * const index = buildHnsw(Y, nItems, k, { M: 16, efConstruction: 100, seed: 1 });
 * const { items, scores } = searchHnsw(index, userFactor, 100, 200);
 */
import { rng } from '../../stats/random.ts';
import type { PackableArray } from './pack.ts';

export interface HnswOptions {
  /** Links per item on the upper layers (twice as many on layer 0). */
  M: number;
  /** Beam width while inserting: wider finds better neighbours, slower to build. */
  efConstruction: number;
  /** Seed of the layer draws. */
  seed: number;
}

export const HNSW_DEFAULTS: HnswOptions = { M: 16, efConstruction: 100, seed: 1 };

export interface HnswIndex {
  n: number;
  /** Dimensions of the factors. */
  dim: number;
  M: number;
  efConstruction: number;
  seed: number;
  /** The largest factor norm N: the vectors are the factors divided by it. */
  scale: number;
  entry: number;
  maxLevel: number;
  /** Top layer of each item. */
  levels: Uint8Array;
  /** Where each item's link blocks start in `links` (derived from `levels`). */
  offsets: Int32Array;
  links: Int32Array;
  /** n × dim: the factors over N. */
  vectors: Float32Array;
  /** Visit marks of the current search (generation numbers, so they need no clearing). */
  visited: Uint32Array;
  generation: number;
}

/** Item and score lists, best first. */
export interface Hits {
  items: Int32Array;
  scores: Float32Array;
}

/** Layers are capped: a Uint8 level, and 2^-16 of items would be above it at M = 2. */
const MAX_LEVEL = 16;

function blockOffsets(levels: Uint8Array, M: number): { offsets: Int32Array; total: number } {
  const offsets = new Int32Array(levels.length);
  let total = 0;
  for (let i = 0; i < levels.length; i++) {
    offsets[i] = total;
    total += 2 * M + 1 + levels[i] * (M + 1);
  }
  return { offsets, total };
}

/** Start of item i's block on `layer`: its count, then its neighbours. */
function blockAt(ix: HnswIndex, i: number, layer: number): number {
  return ix.offsets[i] + (layer === 0 ? 0 : 2 * ix.M + 1 + (layer - 1) * (ix.M + 1));
}

function scaled(factors: ArrayLike<number>, n: number, dim: number): { vectors: Float32Array; scale: number } {
  let scale = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let a = 0; a < dim; a++) s += factors[i * dim + a] ** 2;
    if (s > scale) scale = s;
  }
  scale = Math.sqrt(scale);
  const vectors = new Float32Array(n * dim);
  if (scale > 0) for (let p = 0; p < n * dim; p++) vectors[p] = factors[p] / scale;
  return { vectors, scale };
}

/**
 * 1 − the scaled inner product: smallest for the best item. linalg's `dot` is the same loop over
 * Float64Array; the index is float32 (half the memory), and one call site per array type keeps V8's
 * code monomorphic.
 */
function distance(v: Float32Array, i: number, q: Float32Array, qo: number, D: number): number {
  const o = i * D;
  // Four running sums, as in linalg: independent additions the CPU can overlap.
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let a = 0;
  for (; a + 3 < D; a += 4) {
    s0 += v[o + a] * q[qo + a];
    s1 += v[o + a + 1] * q[qo + a + 1];
    s2 += v[o + a + 2] * q[qo + a + 2];
    s3 += v[o + a + 3] * q[qo + a + 3];
  }
  for (; a < D; a++) s0 += v[o + a] * q[qo + a];
  return 1 - (s0 + s1 + (s2 + s3));
}

/** A binary heap of (distance, item) on typed arrays; `max` orders the largest first. */
class Heap {
  ids: Int32Array;
  keys: Float64Array;
  size = 0;
  constructor(
    capacity: number,
    private readonly max: boolean,
  ) {
    this.ids = new Int32Array(Math.max(1, capacity));
    this.keys = new Float64Array(Math.max(1, capacity));
  }
  private above(a: number, b: number): boolean {
    return this.max ? a > b : a < b;
  }
  push(id: number, key: number): void {
    if (this.size === this.ids.length) {
      const ids = new Int32Array(this.size * 2);
      ids.set(this.ids);
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.ids = ids;
      this.keys = keys;
    }
    let c = this.size++;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (!this.above(key, this.keys[p])) break;
      this.keys[c] = this.keys[p];
      this.ids[c] = this.ids[p];
      c = p;
    }
    this.keys[c] = key;
    this.ids[c] = id;
  }
  /** Removes the top; read `topId`/`topKey` before. */
  pop(): void {
    const n = --this.size;
    if (n === 0) return;
    const key = this.keys[n];
    const id = this.ids[n];
    let c = 0;
    for (;;) {
      const l = 2 * c + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && this.above(this.keys[r], this.keys[l]) ? r : l;
      if (!this.above(this.keys[m], key)) break;
      this.keys[c] = this.keys[m];
      this.ids[c] = this.ids[m];
      c = m;
    }
    this.keys[c] = key;
    this.ids[c] = id;
  }
  get topId(): number {
    return this.ids[0];
  }
  get topKey(): number {
    return this.keys[0];
  }
}

function nextGeneration(ix: HnswIndex): number {
  ix.generation = (ix.generation + 1) >>> 0;
  if (ix.generation === 0) {
    ix.visited.fill(0);
    ix.generation = 1;
  }
  return ix.generation;
}

/** From `from`, moves to a closer neighbour on `layer` while there is one. */
function greedy(ix: HnswIndex, q: Float32Array, qo: number, from: number, layer: number): number {
  const D = ix.dim;
  let cur = from;
  let best = distance(ix.vectors, cur, q, qo, D);
  for (let moved = true; moved; ) {
    moved = false;
    const b = blockAt(ix, cur, layer);
    const count = ix.links[b];
    for (let t = 1; t <= count; t++) {
      const j = ix.links[b + t];
      const d = distance(ix.vectors, j, q, qo, D);
      if (d < best) {
        best = d;
        cur = j;
        moved = true;
      }
    }
  }
  return cur;
}

/**
 * The beam search of one layer: the `ef` closest items to q that `keep` accepts, as a max-heap (worst
 * on top). Items `keep` refuses are still walked through, so a filter never cuts the graph.
 */
function searchLayer(ix: HnswIndex, q: Float32Array, qo: number, entries: ArrayLike<number>, ef: number, layer: number, keep?: (i: number) => boolean): Heap {
  const D = ix.dim;
  const gen = nextGeneration(ix);
  const candidates = new Heap(ef * 2, false);
  const found = new Heap(ef + 1, true);
  for (let t = 0; t < entries.length; t++) {
    const e = entries[t];
    if (ix.visited[e] === gen) continue;
    ix.visited[e] = gen;
    const d = distance(ix.vectors, e, q, qo, D);
    candidates.push(e, d);
    if (!keep || keep(e)) found.push(e, d);
  }
  while (found.size > ef) found.pop();
  while (candidates.size > 0) {
    const c = candidates.topId;
    const dc = candidates.topKey;
    if (found.size >= ef && dc > found.topKey) break;
    candidates.pop();
    const b = blockAt(ix, c, layer);
    const count = ix.links[b];
    for (let t = 1; t <= count; t++) {
      const j = ix.links[b + t];
      if (ix.visited[j] === gen) continue;
      ix.visited[j] = gen;
      const d = distance(ix.vectors, j, q, qo, D);
      if (found.size < ef || d < found.topKey) {
        candidates.push(j, d);
        if (!keep || keep(j)) {
          found.push(j, d);
          if (found.size > ef) found.pop();
        }
      }
    }
  }
  return found;
}

/** The heap's contents, closest first. */
function drain(h: Heap): { ids: Int32Array; dists: Float64Array } {
  const ids = new Int32Array(h.size);
  const dists = new Float64Array(h.size);
  for (let t = h.size - 1; t >= 0; t--) {
    ids[t] = h.topId;
    dists[t] = h.topKey;
    h.pop();
  }
  return { ids, dists };
}

/**
 * Malkov's neighbour heuristic: walk the candidates closest first and keep one only if it is closer to
 * the base than to every neighbour kept so far, so the links spread over directions instead of
 * crowding into one cluster (which is what keeps the graph navigable). At most `m`.
 */
function selectNeighbours(ix: HnswIndex, ids: ArrayLike<number>, dists: ArrayLike<number>, m: number): number[] {
  const D = ix.dim;
  const kept: number[] = [];
  for (let t = 0; t < ids.length && kept.length < m; t++) {
    const c = ids[t];
    let good = true;
    for (const r of kept) {
      if (distance(ix.vectors, c, ix.vectors, r * D, D) < dists[t]) {
        good = false;
        break;
      }
    }
    if (good) kept.push(c);
  }
  return kept;
}

function setLinks(ix: HnswIndex, i: number, layer: number, neighbours: readonly number[]): void {
  const b = blockAt(ix, i, layer);
  ix.links[b] = neighbours.length;
  for (let t = 0; t < neighbours.length; t++) ix.links[b + 1 + t] = neighbours[t];
}

/** Adds the link j → i on `layer`, pruning j's list by the heuristic when it is full. */
function linkBack(ix: HnswIndex, j: number, i: number, layer: number): void {
  const cap = layer === 0 ? 2 * ix.M : ix.M;
  const b = blockAt(ix, j, layer);
  const count = ix.links[b];
  if (count < cap) {
    ix.links[b + 1 + count] = i;
    ix.links[b] = count + 1;
    return;
  }
  const D = ix.dim;
  const all = [i];
  for (let t = 1; t <= count; t++) all.push(ix.links[b + t]);
  const d = all.map((c) => distance(ix.vectors, c, ix.vectors, j * D, D));
  const order = all.map((_, t) => t).sort((x, y) => d[x] - d[y] || all[x] - all[y]);
  setLinks(
    ix,
    j,
    layer,
    selectNeighbours(
      ix,
      order.map((t) => all[t]),
      order.map((t) => d[t]),
      cap,
    ),
  );
}

function emptyIndex(n: number, dim: number, opts: HnswOptions, levels: Uint8Array, vectors: Float32Array, scale: number): HnswIndex {
  const { offsets, total } = blockOffsets(levels, opts.M);
  return {
    n,
    dim,
    M: opts.M,
    efConstruction: opts.efConstruction,
    seed: opts.seed,
    scale,
    entry: -1,
    maxLevel: -1,
    levels,
    offsets,
    links: new Int32Array(total),
    vectors,
    visited: new Uint32Array(n),
    generation: 0,
  };
}

/** Builds the index over `n` items of `dim` factors each (row-major), inserting them in index order. */
export function buildHnsw(factors: ArrayLike<number>, n: number, dim: number, options: Partial<HnswOptions> = {}): HnswIndex {
  const opts = { ...HNSW_DEFAULTS, ...options };
  if (!(Number.isInteger(opts.M) && opts.M >= 2)) throw new RangeError('M must be an integer of at least 2');
  if (!(Number.isInteger(opts.efConstruction) && opts.efConstruction >= 1)) throw new RangeError('efConstruction must be a positive integer');
  const rand = rng(opts.seed);
  const mL = 1 / Math.log(opts.M);
  const levels = new Uint8Array(n);
  for (let i = 0; i < n; i++) levels[i] = Math.min(MAX_LEVEL, Math.floor(-Math.log(1 - rand()) * mL));
  const { vectors, scale } = scaled(factors, n, dim);
  const ix = emptyIndex(n, dim, opts, levels, vectors, scale);
  const D = dim;
  for (let i = 0; i < n; i++) {
    const level = levels[i];
    if (ix.entry < 0) {
      ix.entry = i;
      ix.maxLevel = level;
      continue;
    }
    let ep = ix.entry;
    for (let layer = ix.maxLevel; layer > level; layer--) ep = greedy(ix, vectors, i * D, ep, layer);
    let entries: ArrayLike<number> = [ep];
    for (let layer = Math.min(level, ix.maxLevel); layer >= 0; layer--) {
      const { ids, dists } = drain(searchLayer(ix, vectors, i * D, entries, opts.efConstruction, layer));
      const neighbours = selectNeighbours(ix, ids, dists, opts.M);
      setLinks(ix, i, layer, neighbours);
      for (const j of neighbours) linkBack(ix, j, i, layer);
      entries = ids;
    }
    if (level > ix.maxLevel) {
      ix.entry = i;
      ix.maxLevel = level;
    }
  }
  return ix;
}

/** `query` divided by its norm (which scales every score alike). */
function unitQuery(ix: HnswIndex, query: ArrayLike<number>): Float32Array {
  const q = new Float32Array(ix.dim);
  let s = 0;
  for (let a = 0; a < ix.dim; a++) s += query[a] * query[a];
  const norm = Math.sqrt(s) || 1;
  for (let a = 0; a < ix.dim; a++) q[a] = query[a] / norm;
  return q;
}

/**
 * The `k` items with the largest inner product with `query` (approximately), among those `keep`
 * accepts, best first, with their inner products. `ef` is the beam width (at least k); when it
 * covers the whole index the answer is the exact scan, since that is then no dearer than the walk.
 */
export function searchHnsw(ix: HnswIndex, query: ArrayLike<number>, k: number, ef: number, keep?: (i: number) => boolean): Hits {
  const want = Math.max(0, Math.min(k, ix.n));
  if (want === 0 || ix.entry < 0) return { items: new Int32Array(0), scores: new Float32Array(0) };
  const D = ix.dim;
  const q = unitQuery(ix, query);
  let qNorm = 0;
  for (let a = 0; a < ix.dim; a++) qNorm += query[a] * query[a];
  const toScore = Math.sqrt(qNorm) * ix.scale;
  const width = Math.max(ef, want);
  let ids: Int32Array;
  let dists: Float64Array;
  if (width >= ix.n) {
    const all = new Heap(ix.n, true);
    for (let i = 0; i < ix.n; i++) {
      if (keep && !keep(i)) continue;
      all.push(i, distance(ix.vectors, i, q, 0, D));
    }
    ({ ids, dists } = drain(all));
  } else {
    let ep = ix.entry;
    for (let layer = ix.maxLevel; layer > 0; layer--) ep = greedy(ix, q, 0, ep, layer);
    ({ ids, dists } = drain(searchLayer(ix, q, 0, [ep], width, 0, keep)));
  }
  const m = Math.min(want, ids.length);
  const scores = new Float32Array(m);
  for (let t = 0; t < m; t++) scores[t] = (1 - dists[t]) * toScore;
  return { items: ids.slice(0, m), scores };
}

/** The stored form: the graph only (the vectors are rebuilt from the factors on load). */
export function hnswState(ix: HnswIndex): { header: Record<string, number>; arrays: Record<string, PackableArray> } {
  return {
    header: { n: ix.n, dim: ix.dim, M: ix.M, efConstruction: ix.efConstruction, seed: ix.seed, entry: ix.entry, maxLevel: ix.maxLevel },
    arrays: { levels: ix.levels, links: ix.links },
  };
}

/** The index `hnswState` stored, over the same factors it was built from. */
export function hnswFromState(header: Record<string, unknown>, arrays: Record<string, PackableArray>, factors: ArrayLike<number>): HnswIndex {
  const n = header.n as number;
  const dim = header.dim as number;
  if (factors.length !== n * dim) throw new Error(`HNSW graph of ${n} × ${dim} does not match ${factors.length} factor values`);
  const levels = arrays.levels as Uint8Array;
  const links = arrays.links as Int32Array;
  const { vectors, scale } = scaled(factors, n, dim);
  const ix = emptyIndex(
    n,
    dim,
    { M: header.M as number, efConstruction: header.efConstruction as number, seed: header.seed as number },
    levels,
    vectors,
    scale,
  );
  if (ix.links.length !== links.length) throw new Error('HNSW links do not match its levels');
  ix.links = links;
  ix.entry = header.entry as number;
  ix.maxLevel = header.maxLevel as number;
  return ix;
}

/** Bytes of the stored form (levels and links; the header is a few dozen more). */
export function hnswBytes(ix: HnswIndex): number {
  return ix.levels.byteLength + ix.links.byteLength;
}
