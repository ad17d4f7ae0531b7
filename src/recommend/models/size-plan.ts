/**
 * Which item-item model a catalogue gets, by its size. EASE's dense m×m Gram/inverse costs 12·m²
 * bytes and m³/3 flops: 5,000 items are 300 MB and under a minute, 100,000 items would be 120 GB.
 * So every active item goes into EASE while it fits both the memory budget and `maxDenseItems` (a
 * bound on the inversion's time); beyond that EASE keeps the most active items (the head) and a
 * sparse item-kNN, put on EASE's scale, answers for the rest (the tail). The plan is stored with the
 * model's info, so an operator sees which one a workspace got and why.
 */
import { freemem, totalmem } from 'node:os';
import { easeItemsWithin } from './ease.ts';
import type { Recommender } from './types.ts';

export interface SizePlan {
  /** `ease`: every active item in the dense EASE; `ease+knn-tail`: EASE on the head, item-kNN for the tail. */
  model: 'ease' | 'ease+knn-tail';
  /** Items with at least one positive interaction. */
  items: number;
  /** Items in the dense EASE. */
  head: number;
  /** The memory budget the plan was made for, and what the dense part takes of it (MB). */
  budgetMB: number;
  denseMB: number;
  /** Why: which bound chose the head. */
  reason: string;
}

/** Bytes per dense EASE cell while training (float64 Gram/inverse + float32 weights), as `easeItemsWithin` counts them. */
const BYTES_PER_CELL = 12;
const MB = 1024 * 1024;

/**
 * The memory training may give the dense matrices: `AFIN_TRAIN_MEMORY_MB` if set (fractions allowed), else a quarter of
 * the machine's memory — and never more than half of what is free now, so a busy machine still trains.
 */
export function trainingMemoryBudget(env: Record<string, string | undefined> = process.env): number {
  const set = Number(env.AFIN_TRAIN_MEMORY_MB);
  const wanted = Number.isFinite(set) && set > 0 ? set * MB : totalmem() / 4;
  return Math.max(0, Math.min(wanted, freemem() / 2));
}

/** The plan for `activeItems` items within `budgetBytes`, with at most `maxDenseItems` in the dense part. */
export function planBySize(activeItems: number, budgetBytes: number, maxDenseItems: number): SizePlan {
  const byMemory = easeItemsWithin(budgetBytes);
  const head = Math.max(0, Math.min(activeItems, maxDenseItems, byMemory));
  const reason =
    head >= activeItems
      ? `all ${activeItems} active items fit the dense EASE`
      : byMemory < maxDenseItems
        ? `the memory budget (${Math.round(budgetBytes / MB)} MB) holds ${byMemory} dense items`
        : `the dense part is capped at ${maxDenseItems} items (the inversion's time grows with the cube)`;
  return {
    model: head >= activeItems ? 'ease' : 'ease+knn-tail',
    items: activeItems,
    head,
    budgetMB: Math.round(budgetBytes / MB),
    denseMB: Math.round((BYTES_PER_CELL * head * head) / MB),
    reason,
  };
}

/** The size plan inside a fitted model (looking through hybrids and ensembles), or null if it has none. */
export function sizePlanOf(model: Recommender): SizePlan | null {
  const m = model as Recommender & { plan?: SizePlan | null; members?: Recommender[]; collaborative?: Recommender };
  if (m.plan) return m.plan;
  for (const inner of [...(m.members ?? []), ...(m.collaborative ? [m.collaborative] : [])]) {
    const p = sizePlanOf(inner);
    if (p) return p;
  }
  return null;
}
