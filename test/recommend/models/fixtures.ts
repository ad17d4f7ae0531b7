/** Small synthetic data with known answers for the model tests. */
import { rng } from '../../../src/stats/random.ts';
import type { HistoryEntry, Interactions } from '../../../src/recommend/models/types.ts';
import type { ItemText } from '../../../src/recommend/models/content.ts';

export const GROUPS = 3;
export const ITEMS_PER_GROUP = 8;
export const USERS_PER_GROUP = 30;
export const N_ITEMS = GROUPS * ITEMS_PER_GROUP;
export const groupOf = (item: number) => Math.floor(item / ITEMS_PER_GROUP);

/**
 * A "checkerboard": users of group g interact only with items of group g, each with a random ~75%
 * of them (seeded), so items co-occur within a group and never across groups.
 */
export function checkerboard(seed = 7): Interactions {
  const rand = rng(seed);
  const users: number[] = [];
  const items: number[] = [];
  const times: number[] = [];
  for (let g = 0; g < GROUPS; g++) {
    for (let u = 0; u < USERS_PER_GROUP; u++) {
      const user = g * USERS_PER_GROUP + u;
      for (let k = 0; k < ITEMS_PER_GROUP; k++) {
        if (rand() < 0.75) {
          users.push(user);
          items.push(g * ITEMS_PER_GROUP + k);
          times.push(1_700_000_000_000 + users.length * 60_000);
        }
      }
    }
  }
  return {
    nUsers: GROUPS * USERS_PER_GROUP,
    nItems: N_ITEMS,
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    weights: new Float32Array(users.length).fill(1),
    times: Float64Array.from(times),
  };
}

/** Texts in which each group shares a vocabulary (group 1 in Spanish). */
export function checkerboardTexts(): ItemText[] {
  const vocab = [
    ['trail', 'running', 'shoes', 'mountain'],
    ['guitarra', 'acustica', 'cuerdas', 'musica'],
    ['espresso', 'coffee', 'grinder', 'beans'],
  ];
  return Array.from({ length: N_ITEMS }, (_, i) => {
    const g = groupOf(i);
    const w = vocab[g];
    return {
      title: `${w[i % 4]} ${w[(i + 1) % 4]} ${i}`,
      description: `${w[(i + 2) % 4]} ${w[(i + 3) % 4]}`,
      categories: [w[0]],
      language: g === 1 ? ('es' as const) : ('en' as const),
    };
  });
}

/** A history of every item of group `g` except `withheld`. */
export function groupHistory(g: number, withheld: number): HistoryEntry[] {
  const h: HistoryEntry[] = [];
  for (let k = 0; k < ITEMS_PER_GROUP; k++) {
    const item = g * ITEMS_PER_GROUP + k;
    if (item !== withheld) h.push({ item, weight: 1, time: 1_800_000_000_000 + k });
  }
  return h;
}

/** Rank of `item` among the items not in the history (0 = first), NaN scores last. */
export function rankAmongUnseen(scores: Float32Array, history: readonly HistoryEntry[], item: number): number {
  const seen = new Set(history.map((h) => h.item));
  const s = scores[item];
  if (!Number.isFinite(s)) return Infinity;
  let rank = 0;
  for (let j = 0; j < scores.length; j++) if (j !== item && !seen.has(j) && scores[j] > s) rank++;
  return rank;
}
