import { describe, expect, it } from 'vitest';
import { createRandom, hashString, Random, seedToState } from '../../src/simulate/random.ts';

describe('seeded random', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = createRandom(7);
    const b = createRandom(7);
    const c = createRandom(8);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
  });

  it('accepts string seeds and hashes them stably', () => {
    expect(seedToState('demo')).toBe(hashString('demo'));
    expect(createRandom('demo').next()).toBe(createRandom('demo').next());
    expect(seedToState(1.5)).toBe(hashString('1.5'));
  });

  it('draws uniform floats in [0, 1) with a sensible mean', () => {
    const r = new Random(1);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      sum += x;
    }
    expect(sum / 20_000).toBeCloseTo(0.5, 1);
  });

  it('draws integers inclusive of both ends', () => {
    const r = new Random(2);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(r.int(1, 6));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('draws normals with the requested mean and spread', () => {
    const r = new Random(3);
    const xs = Array.from({ length: 20_000 }, () => r.normal(10, 2));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeGreaterThan(1.9);
    expect(sd).toBeLessThan(2.1);
  });

  it('chooses by weight and never picks a zero weight', () => {
    const r = new Random(4);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 10_000; i++)
      counts[
        r.weighted([
          { value: 'a', weight: 1 },
          { value: 'b', weight: 3 },
          { value: 'c', weight: 0 },
        ] as const)
      ]++;
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.6);
    expect(counts.b / counts.a).toBeLessThan(3.4);
    expect(() => r.weightedIndex([0, 0])).toThrow();
    expect(() => r.choice([])).toThrow();
  });

  it('samples distinct elements and builds simplex weights', () => {
    const r = new Random(5);
    const s = r.sample([1, 2, 3, 4, 5], 3);
    expect(new Set(s).size).toBe(3);
    const w = r.simplex(4);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(w.every((x) => x > 0)).toBe(true);
  });

  it('forks independent streams that do not depend on draws already made', () => {
    const a = new Random(9);
    const b = new Random(9);
    b.next();
    b.next();
    expect(a.fork('x').next()).toBe(b.fork('x').next());
    expect(a.fork('x').next()).not.toBe(a.fork('y').next());
  });
});
