/**
 * A small seeded pseudo-random generator for the simulator. Everything in `src/simulate/` draws from
 * this, never from `Math.random`, so the same seed always yields the same demo store.
 *
 * The core is mulberry32 (a 32-bit state, one multiply-xorshift round per draw): fast, tiny and good
 * enough for synthetic data. String seeds are folded into 32 bits with FNV-1a.
 */

import { MULBERRY_INCREMENT, mulberryOutput } from '../stats/random.ts';

export type Seed = number | string;

/** FNV-1a over the UTF-16 code units of `text`, as an unsigned 32-bit integer. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Any seed as a 32-bit state. Numbers that are not 32-bit integers are hashed through their text. */
export function seedToState(seed: Seed): number {
  if (typeof seed === 'number' && Number.isInteger(seed) && Math.abs(seed) <= 0xffffffff) return seed >>> 0;
  return hashString(String(seed));
}

export interface Weighted<T> {
  value: T;
  weight: number;
}

export class Random {
  private state: number;
  /** The initial state, kept so that {@link fork} does not depend on how many draws were made. */
  private readonly origin: number;

  constructor(seed: Seed) {
    this.state = seedToState(seed);
    this.origin = this.state;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + MULBERRY_INCREMENT) | 0;
    return mulberryOutput(this.state);
  }

  /** A uniform float in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** A uniform integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** A normal draw (Box-Muller). */
  normal(mean = 0, sd = 1): number {
    let u = this.next();
    while (u <= Number.EPSILON) u = this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A log-normal draw whose median is `median`. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  /** An exponential draw with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** A Poisson draw (Knuth's method; fine for the small means used here). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** One element of a non-empty list, uniformly. */
  choice<T>(list: readonly T[]): T {
    if (list.length === 0) throw new Error('choice from an empty list');
    return list[Math.floor(this.next() * list.length)];
  }

  /** One value, with probability proportional to its weight. Non-positive weights are never chosen. */
  weighted<T>(options: ReadonlyArray<Weighted<T>>): T {
    return options[this.weightedIndex(options.map((o) => o.weight))].value;
  }

  /** An index into `weights`, with probability proportional to the weight. */
  weightedIndex(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) if (weights[i] > 0) total += weights[i];
    if (!(total > 0)) throw new Error('weighted choice needs at least one positive weight');
    let r = this.next() * total;
    let last = 0;
    for (let i = 0; i < weights.length; i++) {
      if (!(weights[i] > 0)) continue;
      last = i;
      r -= weights[i];
      if (r < 0) return i;
    }
    return last;
  }

  /** `k` distinct elements of `list` (all of them if it is shorter), in random order. */
  sample<T>(list: readonly T[], k: number): T[] {
    return this.shuffle(list).slice(0, Math.max(0, k));
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(list: readonly T[]): T[] {
    const out = list.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  /** Weights drawn from a symmetric Dirichlet(1): `n` positive numbers summing to 1. */
  simplex(n: number): number[] {
    const raw = Array.from({ length: n }, () => this.exponential(1) + 1e-9);
    const sum = raw.reduce((a, b) => a + b, 0);
    return raw.map((x) => x / sum);
  }

  /**
   * An independent generator derived from this one's seed and a label, so that each part of the
   * simulation has its own stream and changing one part does not shift the draws of another.
   */
  fork(label: string): Random {
    return new Random(hashString(`${this.origin}:${label}`));
  }
}

/** A generator for `seed`; `label` derives an independent stream (see {@link Random.fork}). */
export function createRandom(seed: Seed, label?: string): Random {
  const r = new Random(seed);
  return label === undefined ? r : r.fork(label);
}

/** Clamp `x` to [min, max]. */
export function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x));
}

/** The logistic function. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
