import { mulberry32 } from '../../stats/random.ts';

export { shuffleInPlace } from '../../stats/random.ts';

/** The NLU's seeding of the shared generator (a zero seed still gets a non-zero state). */
export function rng(seed: number): () => number {
  return mulberry32((seed >>> 0) || 0x9e3779b9);
}
