import type { Interactions } from '../../../src/recommend/models/types.ts';

/** One interaction: [user, item, weight, time]. */
export type Row = readonly [user: number, item: number, weight: number, time: number];

/** Builds coordinate-form interactions from a small hand-written table. */
export function interactions(nUsers: number, nItems: number, rows: readonly Row[]): Interactions {
  return {
    nUsers,
    nItems,
    users: Int32Array.from(rows, (r) => r[0]),
    items: Int32Array.from(rows, (r) => r[1]),
    weights: Float32Array.from(rows, (r) => r[2]),
    times: Float64Array.from(rows, (r) => r[3]),
  };
}

export const DAY = 86_400_000;
export const NOW = Date.UTC(2025, 5, 1);
